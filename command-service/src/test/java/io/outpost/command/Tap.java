package io.outpost.command;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.outpost.contracts.Topics;
import io.outpost.testsupport.InProcessKafka;

/**
 * Records everything written to a topic from the moment it starts (one per topic and test JVM), like a bridge node
 * reading {@code outpost.outbound.v1} from its end, or a product team reading command events.
 */
final class Tap {
    private static Tap outbound;
    private static Tap events;

    private final List<ConsumerRecord<String, byte[]>> records = new CopyOnWriteArrayList<>();

    private Tap(String topic) {
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

    static synchronized Tap outbound() {
        if (outbound == null) {
            outbound = new Tap(Topics.OUTBOUND);
        }
        return outbound;
    }

    static synchronized Tap events() {
        if (events == null) {
            events = new Tap(Topics.COMMAND_EVENTS);
        }
        return events;
    }

    /** Records so far whose key is {@code tenant/device} (or, with a null device, whose key starts with the tenant). */
    List<ConsumerRecord<String, byte[]>> of(String tenant, String device) {
        String prefix = device == null ? tenant + "/" : tenant + "/" + device;
        return records.stream().filter(r -> device == null ? r.key().startsWith(prefix) : r.key().equals(prefix))
                .toList();
    }

    /** The ce_id of every record of the device so far, in arrival order. */
    List<String> ids(String tenant, String device) {
        return of(tenant, device).stream().map(r -> header(r, "ce_id")).toList();
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
