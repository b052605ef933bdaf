package io.outpost.systemtest.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A device written against the MQTT contract with third-party clients only: mosquitto_pub and mosquitto_sub. */
@ExtendWith(LocalPlatform.class)
class MosquittoClientsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Test
    void telemetryPublishedOnNode2IsQueryable() throws Exception {
        TenantApi acme = TenantApi.of("acme");
        String device = "meter-" + UUID.randomUUID().toString().substring(0, 8);
        MosquittoClient meter = new MosquittoClient(device, acme.createDevice(device), LocalPlatform.NODE_2_MQTT);

        MosquittoClient.Outcome published = meter.publishOnceKnown("devices/" + device + "/telemetry/power",
                "{\"watts\":412}");
        assertEquals(0, published.exit(), published.output());

        TenantApi.Answer latest = acme.poll(LocalPlatform.TELEMETRY, "/devices/" + device + "/telemetry/latest",
                answer -> answer.body().size() == 1, PATIENCE);
        assertEquals("power", latest.body().path(0).path("stream").asText(), latest.toString());
        assertEquals(412, latest.body().path(0).path("payload").path("watts").asInt(), latest.toString());
    }

    @Test
    void mosquittoSubReceivesAQueuedCommandAndMosquittoPubAnswersIt() throws Exception {
        TenantApi acme = TenantApi.of("acme");
        String device = "gate-" + UUID.randomUUID().toString().substring(0, 8);
        MosquittoClient gate = new MosquittoClient(device, acme.createDevice(device), LocalPlatform.NODE_1_MQTT);
        TenantApi.Answer sent = acme.sendCommand(device, "", "{\"name\":\"open\",\"payload\":{\"seconds\":30}}");
        assertEquals(202, sent.status(), sent.toString());
        String id = sent.text("id");

        MosquittoClient.Outcome received = gate.subscribe("devices/" + device + "/commands/request/#", 1, 20).join();
        assertEquals("devices/" + device + "/commands/request/" + id + "/open {\"seconds\":30}", received.output());

        MosquittoClient.Outcome answered = gate.publish("devices/" + device + "/commands/response/" + id + "/succeeded",
                "{\"opened\":true}");
        assertEquals(0, answered.exit(), answered.output());
        TenantApi.Answer command = acme.poll(LocalPlatform.COMMANDS, "/commands/" + id,
                answer -> answer.text("state").equals("SUCCEEDED"), PATIENCE);
        assertEquals("SUCCEEDED", command.text("state"), command.toString());
        assertEquals(true, command.body().path("result").path("payload").path("opened").asBoolean(), command.toString());
    }
}
