package io.outpost.bridge;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.Topics;
import io.outpost.messaging.CloudEventRecords;
import io.outpost.messaging.ReliableProducer;
import io.outpost.testsupport.InProcessKafka;

/**
 * Stands in for an owner service whose clock runs {@code offset} from the real one, as its outbox relay writes to
 * {@code outpost.outbound.v1}: the record's CreateTime and its expires-at both come from that clock.
 */
final class SkewedOwner implements AutoCloseable {
    private final Duration offset;
    private final KafkaProducer<String, byte[]> producer = ReliableProducer.create(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, InProcessKafka.bootstrapServers()), "skewed-owner", 5);

    /** An owner whose clock is right. */
    SkewedOwner() {
        this(Duration.ZERO);
    }

    SkewedOwner(Duration offset) {
        this.offset = offset;
    }

    /** Sends a message with {@code left} until it expires by the owner's clock; returns its id once Kafka has it. */
    String send(String tenant, String device, String topic, String payload, Duration left) {
        String id = UUID.randomUUID().toString();
        send(id, tenant, device, topic, payload, left);
        return id;
    }

    /** As {@link #send(String, String, String, String, Duration)}, with the given id (a re-publish keeps it). */
    void send(String id, String tenant, String device, String topic, String payload, Duration left) {
        await(List.of(sendAsync(id, tenant, device, topic, payload, left)));
    }

    /** Sends {@code count} messages at once (numbered payloads) and returns their ids once Kafka has them all. */
    List<String> sendMany(String tenant, String device, String topic, int count, Duration left) {
        List<String> ids = new ArrayList<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            sent.add(sendAsync(id, tenant, device, topic, Integer.toString(i), left));
        }
        await(sent);
        return ids;
    }

    private Future<RecordMetadata> sendAsync(String id, String tenant, String device, String topic, String payload,
            Duration left) {
        Instant now = Instant.now().plus(offset);
        Map<String, String> values = new LinkedHashMap<>();
        values.put(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        values.put(CloudEventHeaders.ID, id);
        values.put(CloudEventHeaders.TYPE, topic.startsWith("commands/") ? CloudEventTypes.OUTBOUND_COMMAND
                : CloudEventTypes.OUTBOUND_NOTIFICATION);
        values.put(CloudEventHeaders.SOURCE, "/skewed-owner");
        values.put(CloudEventHeaders.TIME, now.toString());
        values.put(CloudEventHeaders.TENANT, tenant);
        values.put(CloudEventHeaders.DEVICE, device);
        values.put(CloudEventHeaders.MQTT_TOPIC, topic);
        values.put(CloudEventHeaders.EXPIRES_AT, now.plus(left).toString());
        values.put(CloudEventHeaders.CONTENT_TYPE, "text/plain");
        return producer.send(new ProducerRecord<>(Topics.OUTBOUND, null, now.toEpochMilli(), tenant + "/" + device,
                payload.getBytes(StandardCharsets.UTF_8), CloudEventRecords.headers(values)));
    }

    private static void await(List<Future<RecordMetadata>> sent) {
        try {
            for (Future<RecordMetadata> one : sent) {
                one.get(20, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("an outbound message was not written", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
