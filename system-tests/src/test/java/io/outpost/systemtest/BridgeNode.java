package io.outpost.systemtest;

import java.util.HashMap;
import java.util.Map;

import io.outpost.testsupport.InProcessKafka;

/** An mqtt-bridge node as a real process, on the in-process Kafka, with a free MQTT port. */
final class BridgeNode implements AutoCloseable {
    private final ServiceProcess process;
    private final int mqttPort;

    private BridgeNode(ServiceProcess process, int mqttPort) {
        this.process = process;
        this.mqttPort = mqttPort;
    }

    static BridgeNode start(String nodeId) {
        return start(nodeId, Map.of());
    }

    /** Starts a node with further settings, e.g. {@code outpost.bridge.heartbeat-interval}. */
    static BridgeNode start(String nodeId, Map<String, String> settings) {
        int mqttPort = ServiceProcess.freePort();
        Map<String, String> all = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", InProcessKafka.bootstrapServers(),
                "outpost.bridge.node-id", nodeId,
                "outpost.bridge.mqtt.port", Integer.toString(mqttPort),
                "outpost.bridge.mqtt.websocket-port", "0",
                // Every test device connects from 127.0.0.1.
                "outpost.bridge.auth.max-failures-per-address", "1000000"));
        all.putAll(settings);
        ServiceProcess process = ServiceProcess.start("mqtt-bridge", nodeId, all);
        return new BridgeNode(process, mqttPort);
    }

    int mqttPort() {
        return mqttPort;
    }

    String id() {
        return process.name();
    }

    void kill() throws InterruptedException {
        process.kill();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
