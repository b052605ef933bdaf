package io.outpost.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.outpost.contracts.DeviceSessionEvent;
import io.outpost.contracts.SessionEventType;
import io.outpost.contracts.Topics;
import io.outpost.testsupport.InProcessKafka;
import io.outpost.testsupport.TopicReader;

/**
 * The bridge's session events ({@code outpost.device-sessions.v1}) as a test waits on them: that the bridge published
 * them, and that an owner service's consumer group has handled them (its committed offsets reached the end).
 */
final class DeviceSessions {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    private DeviceSessions() {
    }

    /** Waits until the bridge has published {@code count} events of {@code type} for the tenant's devices. */
    static void awaitPublished(String tenant, SessionEventType type, int count, Duration limit) {
        List<ConsumerRecord<String, byte[]>> records = TopicReader.readUntil(Topics.DEVICE_SESSIONS, tenant + "/",
                read -> count(read, type) >= count, limit);
        if (count(records, type) < count) {
            throw new AssertionError("only " + count(records, type) + " of " + count + " " + type + " events of "
                    + tenant + " within " + limit);
        }
    }

    /**
     * Waits until the consumer group has handled every session event published so far: its committed offset on each
     * partition has reached the partition's end as it is now. Owners commit after handling an event.
     */
    static void awaitHandled(String group, Duration limit) throws InterruptedException {
        try (Admin admin = Admin.create(InProcessKafka.adminProperties())) {
            Map<TopicPartition, Long> end = endOffsets(admin);
            long deadline = System.nanoTime() + limit.toNanos();
            Map<TopicPartition, Long> committed = committed(admin, group);
            while (!reached(committed, end)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(group + " has not handled the session events within " + limit
                            + ": committed " + committed + ", end " + end);
                }
                Thread.sleep(100);
                committed = committed(admin, group);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the offsets of " + group + " failed", e);
        }
    }

    private static boolean reached(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> end) {
        return end.entrySet().stream()
                .allMatch(partition -> partition.getValue() == 0
                        || committed.getOrDefault(partition.getKey(), -1L) >= partition.getValue());
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin) throws ExecutionException, InterruptedException {
        List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.DEVICE_SESSIONS)).allTopicNames().get()
                .get(Topics.DEVICE_SESSIONS).partitions().stream()
                .map(partition -> new TopicPartition(Topics.DEVICE_SESSIONS, partition.partition())).toList();
        Map<TopicPartition, ListOffsetsResultInfo> offsets = admin.listOffsets(partitions.stream()
                .collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest()))).all().get();
        return offsets.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static Map<TopicPartition, Long> committed(Admin admin, String group)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(Topics.DEVICE_SESSIONS)
                && e.getValue() != null).collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static long count(List<ConsumerRecord<String, byte[]>> records, SessionEventType type) {
        return records.stream().filter(record -> event(record).type() == type).count();
    }

    private static DeviceSessionEvent event(ConsumerRecord<String, byte[]> record) {
        try {
            return JSON.readValue(record.value(), DeviceSessionEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable session event at offset " + record.offset(), e);
        }
    }
}
