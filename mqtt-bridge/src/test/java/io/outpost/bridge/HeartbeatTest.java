package io.outpost.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.bridge.config.BridgeConfig;
import io.outpost.bridge.messaging.BridgeProducer;
import io.outpost.bridge.messaging.NodeHeartbeat;
import io.outpost.contracts.BridgeNodeEvent;
import io.outpost.contracts.BridgeNodeEventType;
import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.Topics;
import io.outpost.messaging.CloudEventRecords;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Node heartbeats on {@code outpost.bridge-nodes.v1}, as the registry reads them to find crashed nodes. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class HeartbeatTest {
    @Inject
    NodeIdentity node;
    @Inject
    BridgeConfig config;
    @Inject
    BridgeProducer producer;
    @Inject
    ObjectMapper json;

    @Test
    void runningNodeAnnouncedItsStartAndKeepsSayingItIsAlive() throws Exception {
        List<ConsumerRecord<String, byte[]>> records = TopicReader.readUntil(Topics.BRIDGE_NODES, node.id(),
                read -> types(read).contains(BridgeNodeEventType.ALIVE), Duration.ofSeconds(20));

        assertEquals(BridgeNodeEventType.STARTED, types(records).get(0));
        assertTrue(types(records).contains(BridgeNodeEventType.ALIVE));
        for (ConsumerRecord<String, byte[]> record : records) {
            assertEquals(node.id(), record.key());
            BridgeNodeEvent event = json.readValue(record.value(), BridgeNodeEvent.class);
            assertEquals(node.id(), event.node());
            assertEquals(node.startedAt(), event.startedAt());
            assertFalse(event.at().isBefore(node.startedAt()));
            assertEquals(config.heartbeatInterval().toMillis(), event.interval());
            assertEquals(CloudEventHeaders.SPEC_VERSION_1_0, header(record, CloudEventHeaders.SPEC_VERSION));
            assertEquals(CloudEventTypes.BRIDGE_NODE, header(record, CloudEventHeaders.TYPE));
            assertEquals(node.source(), header(record, CloudEventHeaders.SOURCE));
            assertEquals(event.at(), Instant.parse(header(record, CloudEventHeaders.TIME)));
            assertEquals("application/json", header(record, CloudEventHeaders.CONTENT_TYPE));
            assertNotNull(header(record, CloudEventHeaders.ID));
            assertNull(header(record, CloudEventHeaders.TENANT), "a node event is about no tenant");
            assertNull(header(record, CloudEventHeaders.DEVICE));
        }
        assertEquals(records.size(), records.stream().map(r -> header(r, CloudEventHeaders.ID)).distinct().count());
    }

    @Test
    void stoppedHeartbeatPublishesStoppedLastAndNothingAfterIt() throws Exception {
        NodeIdentity other = new NodeIdentity("heartbeat-test-" + UUID.randomUUID(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        NodeHeartbeat heartbeat = new NodeHeartbeat(other, producer, json, Duration.ofMillis(100));
        heartbeat.start();
        TopicReader.readUntil(Topics.BRIDGE_NODES, other.id(), read -> types(read).contains(BridgeNodeEventType.ALIVE),
                Duration.ofSeconds(10));

        heartbeat.stop();

        List<ConsumerRecord<String, byte[]>> records = TopicReader.readUntil(Topics.BRIDGE_NODES, other.id(),
                read -> types(read).contains(BridgeNodeEventType.STOPPED), Duration.ofSeconds(10));
        List<BridgeNodeEventType> types = types(records);
        assertEquals(BridgeNodeEventType.STOPPED, types.get(types.size() - 1));
        BridgeNodeEvent stopped = json.readValue(records.get(records.size() - 1).value(), BridgeNodeEvent.class);
        assertEquals(new BridgeNodeEvent(other.id(), BridgeNodeEventType.STOPPED, other.startedAt(), stopped.at(), 100),
                stopped);
        // Several intervals: an ALIVE after STOPPED would be read here and fail the test.
        List<ConsumerRecord<String, byte[]>> later = TopicReader.read(Topics.BRIDGE_NODES, other.id(),
                records.size() + 1, Duration.ofMillis(500));
        assertEquals(records.size(), later.size());
    }

    private List<BridgeNodeEventType> types(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(record -> {
            try {
                return json.readValue(record.value(), BridgeNodeEvent.class).type();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return CloudEventRecords.text(record.headers(), name);
    }
}
