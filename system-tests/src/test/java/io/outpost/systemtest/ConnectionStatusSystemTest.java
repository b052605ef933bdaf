package io.outpost.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;

import io.outpost.testsupport.RegistryRecords;

/**
 * The registry's connection status when a bridge node ends without a DISCONNECTED for its devices: the device
 * registry and the bridge nodes as real processes, devices created through the registry's REST API and connected
 * with a real MQTT client. A node killed with SIGKILL falls silent on {@code outpost.bridge-nodes.v1}; one started
 * again under the same node id announces a new life.
 */
class ConnectionStatusSystemTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    /** The bridge's default heartbeat is 5 s and a node silent for three intervals is dead; the sweep runs each second. */
    private static final Duration SILENT_NODE_NOTICED = Duration.ofSeconds(30);
    /**
     * A heartbeat so slow that silence alone would take three minutes to notice: what ends a session within
     * {@link #SILENT_NODE_NOTICED} then is the node's restart.
     */
    private static final Map<String, String> SLOW_HEARTBEAT = Map.of("outpost.bridge.heartbeat-interval", "60s");

    private static RegistryNode registry;

    @BeforeAll
    static void start() {
        registry = RegistryNode.start("device-registry");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        registry.close();
    }

    @Test
    void deviceOnAKilledNodeIsShownOfflineWithinThirtySeconds() throws Exception {
        // given: a device connected to a bridge node, online in the registry
        String tenant = tenantWith("pump");
        try (BridgeNode node = BridgeNode.start("liveness-node")) {
            Mqtt5AsyncClient device = Devices.connect(node.mqttPort(), tenant, "pump");
            JsonNode online = registry.awaitConnection(tenant, "pump", ConnectionStatusSystemTest::online, PATIENCE);
            assertTrue(online(online), online.toString());
            assertEquals(node.id(), online.path("node").asText());

            // when: the node is killed: no DISCONNECTED, no STOPPED
            long killedAt = System.nanoTime();
            node.kill();

            // then: the registry shows the device offline within 30 s
            JsonNode offline = registry.awaitConnection(tenant, "pump", status -> !online(status),
                    SILENT_NODE_NOTICED);
            double seconds = (System.nanoTime() - killedAt) / 1e9;
            assertFalse(online(offline), () -> "still online " + seconds + " s after the kill: " + offline);
            assertEquals(online.path("sessionId").asText(), offline.path("sessionId").asText(), offline.toString());
            TwoBridgeNodesTest.report(String.format("device on a node killed with SIGKILL shown offline after %.1f s"
                    + " (heartbeat 5 s)%n", seconds));
            assertFalse(device.getState().isConnected(), "the device lost its connection with the node");
        }
    }

    @Test
    void nodeRestartedUnderItsIdEndsTheSessionsOfItsPreviousLifeOnly() throws Exception {
        // given: a node whose silence would take three minutes to notice, a device online on it
        String tenant = tenantWith("left-behind", "newcomer");
        try (BridgeNode firstLife = BridgeNode.start("restarted-node", SLOW_HEARTBEAT)) {
            Devices.connect(firstLife.mqttPort(), tenant, "left-behind");
            assertTrue(online(registry.awaitConnection(tenant, "left-behind", ConnectionStatusSystemTest::online,
                    PATIENCE)), "online before the kill");

            // when: the node is killed and started again under the same node id, and another device connects to it
            firstLife.kill();
        }
        long restartedAt = System.nanoTime();
        try (BridgeNode secondLife = BridgeNode.start("restarted-node", SLOW_HEARTBEAT)) {
            Devices.connect(secondLife.mqttPort(), tenant, "newcomer");

            // then: the device its previous life left is offline, long before three missed heartbeats; the device of
            // its new life is online on it, whichever of the restart and its CONNECTED the registry handled first
            JsonNode leftBehind = registry.awaitConnection(tenant, "left-behind", status -> !online(status),
                    SILENT_NODE_NOTICED);
            double seconds = (System.nanoTime() - restartedAt) / 1e9;
            assertFalse(online(leftBehind), () -> "still online " + seconds + " s after the restart: " + leftBehind);
            JsonNode newcomer = registry.awaitConnection(tenant, "newcomer", ConnectionStatusSystemTest::online,
                    PATIENCE);
            assertTrue(online(newcomer), newcomer.toString());
            assertEquals(secondLife.id(), newcomer.path("node").asText());
            TwoBridgeNodesTest.report(String.format("node restarted under its id: its previous life's device shown"
                    + " offline %.1f s after the restart began (heartbeat 60 s)%n", seconds));
        }
    }

    /** A tenant created through the registry, with these devices, each with {@link Devices#SECRET}. */
    private static String tenantWith(String... devices) throws Exception {
        String tenant = RegistryRecords.newTenant();
        registry.createTenant(tenant);
        for (String device : devices) {
            registry.createDevice(tenant, device, Devices.SECRET);
        }
        return tenant;
    }

    private static boolean online(JsonNode connection) {
        return connection.path("online").asBoolean();
    }
}
