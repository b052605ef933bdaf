package io.outpost.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Records everything written to a topic of the in-process Kafka from the moment it starts (one per topic and test JVM),
 * like a bridge node reading {@code outpost.outbound.v1} from its end, or a product team reading events.
 */
public final class TopicTap {
    private static final Map<String, TopicTap> TAPS = new ConcurrentHashMap<>();

    private final List<ConsumerRecord<String, byte[]>> records = new CopyOnWriteArrayList<>();

    private TopicTap(String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, InProcessKafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // Resolves the positions now, so nothing written after this constructor returns is missed.
        partitions.forEach(consumer::position);
        Thread thread = new Thread(() -> {
            while (true) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }, "tap-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    /** The tap of the topic, started on first use. */
    public static TopicTap of(String topic) {
        return TAPS.computeIfAbsent(topic, TopicTap::new);
    }

    /** Records so far whose key starts with {@code prefix}, in arrival order. */
    public List<ConsumerRecord<String, byte[]>> keyedFrom(String prefix) {
        return records.stream().filter(r -> r.key() != null && r.key().startsWith(prefix)).toList();
    }

    /** Records so far whose header {@code name} is {@code value}, in arrival order. */
    public List<ConsumerRecord<String, byte[]>> withHeader(String name, String value) {
        return records.stream().filter(r -> value.equals(header(r, name))).toList();
    }

    public static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
