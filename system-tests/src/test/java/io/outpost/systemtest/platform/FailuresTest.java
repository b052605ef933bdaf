package io.outpost.systemtest.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

/** What goes wrong in the field, on the platform started by {@code ./outpost up}. */
@ExtendWith(LocalPlatform.class)
class FailuresTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Test
    void whenABridgeNodeCrashesItsDevicesCarryOnOnTheOtherNode() throws Exception {
        TenantApi acme = TenantApi.of("acme");
        String device = "pump-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = acme.createDevice(device);
        List<String> ran = new CopyOnWriteArrayList<>();
        try (OutpostDevice pump = SdkDevices.builder(device, secret).endpoint("127.0.0.1", LocalPlatform.NODE_2_MQTT)
                .endpoint("127.0.0.1", LocalPlatform.NODE_1_MQTT).onCommand(command -> {
                    ran.add(command.name());
                    return CommandResult.succeeded("{}");
                }).build()) {
            SdkDevices.connect(pump);
            pump.sendTelemetry("flow", "{\"litres\":1}").get(10, TimeUnit.SECONDS);
            try {
                LocalPlatform.kill(LocalPlatform.NODE_2);
                awaitConnections(pump, 2);
                pump.sendTelemetry("flow", "{\"litres\":2}").get(10, TimeUnit.SECONDS);
                TenantApi.Answer stop = acme.sendCommand(device, "?wait=15s", "{\"name\":\"stop\"}");
                assertEquals("SUCCEEDED", stop.text("state"), stop.toString());
            } finally {
                LocalPlatform.up();
            }
        }
        assertEquals(List.of("stop"), ran);
        TenantApi.Answer history = acme.poll(LocalPlatform.TELEMETRY, "/devices/" + device + "/telemetry?stream=flow",
                answer -> answer.body().path("items").size() == 2, PATIENCE);
        assertEquals(2, history.body().path("items").size(), "both acknowledged readings are stored: " + history);
    }

    @Test
    void aWrongSecretIsRefusedWithBadUserNameOrPassword() throws Exception {
        TenantApi acme = TenantApi.of("acme");
        String device = "lock-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = acme.createDevice(device);
        MosquittoClient.Outcome known = new MosquittoClient(device, secret, LocalPlatform.NODE_1_MQTT)
                .publishOnceKnown("devices/" + device + "/telemetry", "{}");
        assertEquals(0, known.exit(), known.output());

        MosquittoClient.Outcome refused = new MosquittoClient(device, "not-" + secret, LocalPlatform.NODE_1_MQTT)
                .publish("devices/" + device + "/telemetry", "{}");
        assertNotEquals(0, refused.exit());
        assertTrue(refused.output().toLowerCase().contains("bad user name or password"), refused.output());
    }

    @Test
    void aDisabledDeviceCannotConnectAndGetsNoCommands() throws Exception {
        TenantApi acme = TenantApi.of("acme");
        String device = "valve-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = acme.createDevice(device);
        MosquittoClient valve = new MosquittoClient(device, secret, LocalPlatform.NODE_1_MQTT);
        assertEquals(0, valve.publishOnceKnown("devices/" + device + "/telemetry", "{}").exit());

        TenantApi.Answer disabled = acme.put(LocalPlatform.REGISTRY, "/devices/" + device, "{\"enabled\":false}");
        assertEquals(200, disabled.status(), disabled.toString());

        MosquittoClient.Outcome refused = awaitConnectRefused(valve, "devices/" + device + "/telemetry");
        assertTrue(refused.output().toLowerCase().contains("not authorized"), refused.output());
        TenantApi.Answer rejected = awaitCommandStatus(acme, device, 409);
        assertEquals(409, rejected.status(), rejected.toString());
        assertEquals("application/problem+json", rejected.contentType(), rejected.toString());
    }

    @Test
    void anotherTenantCannotSeeOrCommandTheDevice() throws Exception {
        TenantApi acme = TenantApi.of("acme");
        String device = "safe-" + UUID.randomUUID().toString().substring(0, 8);
        acme.createDevice(device);
        TenantApi.Answer sent = acme.sendCommand(device, "", "{\"name\":\"lock\"}");
        assertEquals(202, sent.status(), sent.toString());

        TenantApi globexInAcme = TenantApi.of("globex").reaching("acme");
        TenantApi.Answer intruding = globexInAcme.post(LocalPlatform.COMMANDS,
                "/devices/" + device + "/commands", "{\"name\":\"unlock\"}");
        assertEquals(404, intruding.status(), intruding.toString());
        assertEquals(404, globexInAcme.get(LocalPlatform.COMMANDS, "/commands/" + sent.text("id")).status());
        assertEquals(404, globexInAcme.get(LocalPlatform.TELEMETRY,
                "/devices/" + device + "/telemetry/latest").status());
        assertEquals(404, globexInAcme.get(LocalPlatform.REGISTRY, "/devices/" + device).status());
    }

    private static void awaitConnections(OutpostDevice device, int connections) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (device.connections() < connections && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(connections, device.connections(), "the device reconnected to the other node");
    }

    /**
     * The registry's change reaches the bridge through Kafka: until then publishes succeed, and a session open when
     * it arrives is ended (0x87), so wait for a CONNECT refused with that reason.
     */
    private static MosquittoClient.Outcome awaitConnectRefused(MosquittoClient client, String topic) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        MosquittoClient.Outcome outcome = client.publish(topic, "{}");
        while (!outcome.output().contains("Connection error") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            outcome = client.publish(topic, "{}");
        }
        assertNotEquals(0, outcome.exit(), "still accepted after " + PATIENCE);
        return outcome;
    }

    private static TenantApi.Answer awaitCommandStatus(TenantApi api, String device, int status) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        TenantApi.Answer answer = api.sendCommand(device, "", "{\"name\":\"open\"}");
        while (answer.status() != status && System.nanoTime() < deadline) {
            Thread.sleep(200);
            answer = api.sendCommand(device, "", "{\"name\":\"open\"}");
        }
        return answer;
    }
}
