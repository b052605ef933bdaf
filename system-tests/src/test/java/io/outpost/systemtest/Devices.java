package io.outpost.systemtest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;

import io.outpost.testsupport.RegistryRecords;

/** Devices as the registry would register them, connecting with the HiveMQ MQTT 5 client. */
final class Devices {
    static final String SECRET = "system-test-secret-0123456789";

    private Devices() {
    }

    static void register(String tenant, String device) {
        RegistryRecords.put(tenant, device, true, SECRET);
    }

    /**
     * Connects to a bridge node, retrying while the node's registry view has not learnt of the device yet (the
     * record travels through Kafka to another process).
     */
    static Mqtt5AsyncClient connect(int port, String tenant, String device) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Mqtt5AsyncClient client = Mqtt5Client.builder().identifier(device + "-" + UUID.randomUUID())
                    .serverHost("127.0.0.1").serverPort(port).buildAsync();
            try {
                client.connectWith().simpleAuth().username(device + "@" + tenant)
                        .password(SECRET.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send().join();
                return client;
            } catch (RuntimeException e) {
                if (!(e.getCause() instanceof Mqtt5ConnAckException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
