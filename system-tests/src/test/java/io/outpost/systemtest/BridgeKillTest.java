package io.outpost.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;

import io.outpost.contracts.Topics;
import io.outpost.testsupport.RegistryRecords;
import io.outpost.testsupport.TopicReader;

/**
 * 100 devices publish 100 QoS 1 messages each, one in flight, to node 1, which is killed with SIGKILL mid-stream;
 * the devices reconnect to node 2 and go on from their first message without a PUBACK. Every PUBACKed message must
 * be in Kafka, in order per device.
 */
class BridgeKillTest {
    private static final int DEVICES = 100;
    private static final int MESSAGES = 100;
    private static BridgeNode node1;
    private static BridgeNode node2;

    @BeforeAll
    static void startNodes() {
        node1 = BridgeNode.start("kill-node-1");
        node2 = BridgeNode.start("kill-node-2");
    }

    @AfterAll
    static void stopNodes() throws InterruptedException {
        node1.close();
        node2.close();
    }

    @Test
    void noAcknowledgedMessageIsLostWhenTheBridgeIsKilledMidStream() throws Exception {
        String tenant = RegistryRecords.newTenant();
        for (int d = 0; d < DEVICES; d++) {
            Devices.register(tenant, "d" + d);
        }
        AtomicIntegerArray nextUnacked = new AtomicIntegerArray(DEVICES);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();

        List<CompletableFuture<Void>> firstRun = publishAll(node1, tenant, nextUnacked, acknowledged);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acknowledged.size() < DEVICES * MESSAGES / 3 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        node1.kill();
        awaitEnded(firstRun);
        int beforeKill = acknowledged.size();
        assertTrue(beforeKill < DEVICES * MESSAGES, "the kill came too late to be mid-stream");

        CompletableFuture.allOf(publishAll(node2, tenant, nextUnacked, acknowledged).toArray(CompletableFuture[]::new))
                .get(120, TimeUnit.SECONDS);
        assertEquals(DEVICES * MESSAGES, acknowledged.size());

        List<ConsumerRecord<String, byte[]>> records = TopicReader.readUntil(Topics.TELEMETRY, tenant + "/",
                read -> read.stream().map(BridgeKillTest::text).toList().containsAll(acknowledged),
                Duration.ofSeconds(60));
        Map<String, List<Integer>> firstSeen = new HashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            String text = text(record);
            if (seen.add(text)) {
                firstSeen.computeIfAbsent(record.key(), key -> new ArrayList<>())
                        .add(Integer.parseInt(text.substring(text.indexOf(':') + 1)));
            }
        }
        assertTrue(seen.containsAll(acknowledged), "PUBACKed messages missing from Kafka");
        for (int d = 0; d < DEVICES; d++) {
            List<Integer> order = firstSeen.get(tenant + "/d" + d);
            assertEquals(MESSAGES, order.size(), "messages of d" + d);
            for (int i = 0; i < MESSAGES; i++) {
                assertEquals(i, order.get(i), "order of d" + d);
            }
        }
        TwoBridgeNodesTest.report(String.format("SIGKILL mid-stream: %d of %d messages PUBACKed before the kill, "
                + "%d records in Kafka (%d duplicates of unacknowledged ones), none missing%n", beforeKill,
                DEVICES * MESSAGES, records.size(), records.size() - seen.size()));
    }

    /** Each device publishes from its first unacknowledged message on, one in flight, until done or disconnected. */
    private static List<CompletableFuture<Void>> publishAll(BridgeNode node, String tenant,
            AtomicIntegerArray nextUnacked, Set<String> acknowledged) throws InterruptedException {
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int d = 0; d < DEVICES; d++) {
            Mqtt5AsyncClient client = Devices.connect(node.mqttPort(), tenant, "d" + d);
            CompletableFuture<Void> run = new CompletableFuture<>();
            publishFrom(client, d, nextUnacked, acknowledged, run);
            runs.add(run);
        }
        return runs;
    }

    private static void publishFrom(Mqtt5AsyncClient client, int device, AtomicIntegerArray nextUnacked,
            Set<String> acknowledged, CompletableFuture<Void> run) {
        int index = nextUnacked.get(device);
        if (index == MESSAGES) {
            client.disconnect();
            run.complete(null);
            return;
        }
        String text = "d" + device + ":" + index;
        client.publishWith().topic("devices/d" + device + "/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                .payload(text.getBytes(StandardCharsets.UTF_8)).send().whenComplete((result, error) -> {
                    if (error != null || result.getError().isPresent()) {
                        run.completeExceptionally(error != null ? error : result.getError().get());
                        return;
                    }
                    acknowledged.add(text);
                    nextUnacked.set(device, index + 1);
                    publishFrom(client, device, nextUnacked, acknowledged, run);
                });
    }

    private static void awaitEnded(List<CompletableFuture<Void>> runs) {
        try {
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (Exception expected) {
            // The killed node's connections fail; what matters is that every run has stopped.
        }
        assertTrue(runs.stream().allMatch(CompletableFuture::isDone), "publishers still running after the kill");
    }

    private static String text(ConsumerRecord<String, byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }
}
