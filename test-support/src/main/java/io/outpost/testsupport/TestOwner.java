package io.outpost.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.Topics;

/**
 * Stands in for an owner service (commands, notifications) in bridge tests: writes messages for devices to
 * {@code outpost.outbound.v1} in CloudEvents binary mode, as the owners' mailboxes do.
 */
public final class TestOwner implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, InProcessKafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0),
            new StringSerializer(), new ByteArraySerializer());

    /**
     * Sends one message and waits for Kafka's acknowledgement; returns its id.
     *
     * @param topic the topic below {@code devices/{device}/}; {@code commands/...} is a command, anything else a
     *              notification
     */
    public String send(String tenant, String device, String topic, String payload, Instant expiresAt) {
        String id = UUID.randomUUID().toString();
        send(id, tenant, device, topic, payload, expiresAt);
        return id;
    }

    /** Sends one message with the given id (a re-publish keeps the id) and waits for Kafka's acknowledgement. */
    public void send(String id, String tenant, String device, String topic, String payload, Instant expiresAt) {
        send(id, tenant, device, null, topic, payload, expiresAt);
    }

    /**
     * Sends one message for one incarnation of the device ({@code ce_deviceincarnation}; null: not said) and waits
     * for Kafka's acknowledgement.
     */
    public void send(String id, String tenant, String device, Instant incarnation, String topic, String payload,
            Instant expiresAt) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        values.put(CloudEventHeaders.ID, id);
        values.put(CloudEventHeaders.TYPE, type(topic));
        values.put(CloudEventHeaders.SOURCE, "/test-owner");
        values.put(CloudEventHeaders.TIME, Instant.now().toString());
        values.put(CloudEventHeaders.TENANT, tenant);
        values.put(CloudEventHeaders.DEVICE, device);
        values.put(CloudEventHeaders.MQTT_TOPIC, topic);
        values.put(CloudEventHeaders.EXPIRES_AT, expiresAt.toString());
        values.put(CloudEventHeaders.CONTENT_TYPE, "application/json");
        if (incarnation != null) {
            values.put(CloudEventHeaders.DEVICE_INCARNATION, incarnation.toString());
        }
        RecordHeaders headers = new RecordHeaders();
        values.forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(new ProducerRecord<>(Topics.OUTBOUND, null, tenant + "/" + device,
                    payload.getBytes(StandardCharsets.UTF_8), headers)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("outbound message " + id + " was not written", e);
        }
    }

    private static String type(String topic) {
        if (topic.startsWith("commands/")) {
            return CloudEventTypes.OUTBOUND_COMMAND;
        }
        return topic.startsWith("inquiries/") ? CloudEventTypes.OUTBOUND_INQUIRY_RESPONSE
                : CloudEventTypes.OUTBOUND_NOTIFICATION;
    }

    @Override
    public void close() {
        producer.close();
    }
}
