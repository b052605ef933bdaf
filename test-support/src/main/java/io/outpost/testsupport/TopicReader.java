package io.outpost.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;


/** Reads a topic from the beginning and keeps the records whose key starts with a prefix (one test's tenant). */
public final class TopicReader {
    private TopicReader() {
    }

    /** Reads until {@code expected} matching records arrived or {@code timeout} passed; returns what arrived. */
    public static List<ConsumerRecord<String, byte[]>> read(String topic, String keyPrefix, int expected,
            Duration timeout) {
        return readUntil(topic, keyPrefix, records -> records.size() >= expected, timeout);
    }

    /** Reads until {@code done} holds for the matching records read so far, or {@code timeout} passed. */
    public static List<ConsumerRecord<String, byte[]>> readUntil(String topic, String keyPrefix,
            Predicate<List<ConsumerRecord<String, byte[]>>> done, Duration timeout) {
        Properties properties = InProcessKafka.adminProperties();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "topic-reader-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(records) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && record.key().startsWith(keyPrefix)) {
                        records.add(record);
                    }
                }
            }
        }
        return records;
    }
}
