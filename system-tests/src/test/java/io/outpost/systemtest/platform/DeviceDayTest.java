package io.outpost.systemtest.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.outpost.device.CommandResult;
import io.outpost.device.OutpostDevice;

/**
 * A thermostat's day on the platform started by {@code ./outpost up}, through the device SDK and the product team's
 * REST APIs with Keycloak tokens: provisioned, connects over TLS to node 1, reports, is told what to do, goes offline
 * while two commands are sent (one short-lived), and reconnects in the evening to node 2.
 */
@ExtendWith(LocalPlatform.class)
class DeviceDayTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Test
    void aThermostatsDay() throws Exception {
        TenantApi acme = TenantApi.of("acme");
        String device = "thermostat-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = acme.createDevice(device);
        String deviceApi = "/devices/" + device;
        List<String> ran = new CopyOnWriteArrayList<>();

        try (OutpostDevice morning = SdkDevices.builder(device, secret).endpoint("localhost", LocalPlatform.NODE_1_MQTTS)
                .tls(LocalPlatform.certificateAuthority()).onCommand(command -> {
                    ran.add(command.name());
                    return CommandResult.succeeded("{\"target\":" + command.text() + "}");
                }).build()) {
            SdkDevices.connect(morning);
            for (int hour = 6; hour < 11; hour++) {
                morning.sendTelemetry("climate", "{\"temperature\":" + (17 + hour / 2.0) + ",\"hour\":" + hour + "}")
                        .get(10, TimeUnit.SECONDS);
            }
            TenantApi.Answer history = acme.poll(LocalPlatform.TELEMETRY,
                    deviceApi + "/telemetry?stream=climate&order=oldest",
                    answer -> answer.body().path("items").size() == 5, PATIENCE);
            assertEquals(5, history.body().path("items").size(), history.toString());
            assertEquals(6, history.body().path("items").get(0).path("payload").path("hour").asInt());
            assertEquals(10, history.body().path("items").get(4).path("payload").path("hour").asInt());

            TenantApi.Answer heat = acme.sendCommand(device, "?wait=10s",
                    "{\"name\":\"set-target\",\"payload\":{\"celsius\":21}}");
            assertEquals("SUCCEEDED", heat.text("state"), heat.toString());
            assertEquals(21, heat.body().path("result").path("payload").path("target").path("celsius").asInt());
        }

        TenantApi.Answer stale = acme.post(LocalPlatform.COMMANDS, deviceApi + "/commands",
                "{\"name\":\"preheat\",\"payload\":{\"celsius\":25},\"ttl\":\"2s\"}");
        TenantApi.Answer night = acme.post(LocalPlatform.COMMANDS, deviceApi + "/commands",
                "{\"name\":\"night-mode\",\"payload\":{\"celsius\":17},\"ttl\":\"1h\"}");
        assertEquals(202, stale.status(), stale.toString());
        assertEquals(202, night.status(), night.toString());
        TenantApi.Answer expired = acme.poll(LocalPlatform.COMMANDS, "/commands/" + stale.text("id"),
                answer -> answer.text("state").equals("EXPIRED"), PATIENCE);
        assertEquals("EXPIRED", expired.text("state"), expired.toString());

        try (OutpostDevice evening = SdkDevices.builder(device, secret)
                .endpoint("127.0.0.1", LocalPlatform.NODE_2_MQTT).onCommand(command -> {
                    ran.add(command.name());
                    return CommandResult.succeeded("{}");
                }).build()) {
            SdkDevices.connect(evening);
            TenantApi.Answer done = acme.poll(LocalPlatform.COMMANDS, "/commands/" + night.text("id"),
                    answer -> answer.text("state").equals("SUCCEEDED"), PATIENCE);
            assertEquals("SUCCEEDED", done.text("state"), done.toString());
            evening.sendTelemetry("climate", "{\"temperature\":17.5,\"hour\":22}").get(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of("set-target", "night-mode"), ran, "the expired preheat never reached the device");

        TenantApi.Answer latest = acme.poll(LocalPlatform.TELEMETRY, deviceApi + "/telemetry/latest",
                answer -> answer.body().path(0).path("payload").path("hour").asInt() == 22, PATIENCE);
        assertEquals(22, latest.body().path(0).path("payload").path("hour").asInt(), latest.toString());
        TenantApi.Answer commands = acme.get(LocalPlatform.COMMANDS, deviceApi + "/commands");
        assertTrue(commands.body().toString().contains("EXPIRED"), commands.toString());
    }
}
