package io.outpost.bridge;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

import io.outpost.contracts.Audience;
import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.Topics;
import io.outpost.messaging.CloudEventRecords;
import io.outpost.messaging.ReliableProducer;
import io.outpost.testsupport.InProcessKafka;

/**
 * Stands in for the notification service on {@code outpost.outbound.v1}: notifications for a device, a group or a
 * tenant's fleet, and revocations, each sent once Kafka has the previous one. All records of one instance share one
 * key, whatever their tenant or device, so they sit in one partition and every bridge node reads them in the order
 * they were sent: a message a test sends after another reaches each session after it. The bridge routes by headers,
 * never by key.
 */
final class AudienceOwner implements AutoCloseable {
    private final String key = "audience-owner/" + UUID.randomUUID();
    private final KafkaProducer<String, byte[]> producer = ReliableProducer.create(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, InProcessKafka.bootstrapServers()), "audience-owner", 0);

    /** A notification for every member of {@code group}; returns its id. */
    String toGroup(String tenant, String group, String topic, String payload, Duration ttl) {
        String id = UUID.randomUUID().toString();
        send(tenant, id, Audience.GROUP, null, group, topic, payload, Instant.now().plus(ttl));
        return id;
    }

    /** A notification for every device of the tenant; returns its id. */
    String toFleet(String tenant, String topic, String payload, Duration ttl) {
        String id = UUID.randomUUID().toString();
        send(tenant, id, Audience.FLEET, null, null, topic, payload, Instant.now().plus(ttl));
        return id;
    }

    /** A notification for one device; returns its id. */
    String toDevice(String tenant, String device, String topic, String payload, Duration ttl) {
        String id = UUID.randomUUID().toString();
        toDevice(tenant, id, device, topic, payload, Instant.now().plus(ttl));
        return id;
    }

    /** A device's own copy of a notification sent before (same id), as the owner sends on reconnect. */
    void toDevice(String tenant, String id, String device, String topic, String payload, Instant expiresAt) {
        send(tenant, id, null, device, null, topic, payload, expiresAt);
    }

    /** A member's own copy of group notification {@code id}, naming the group, as the owner sends on catch-up. */
    void copyFor(String tenant, String id, String device, String group, String topic, String payload,
            Instant expiresAt) {
        send(tenant, id, null, device, group, topic, payload, expiresAt);
    }

    /** The group notification {@code id} again (same id). */
    void toGroup(String tenant, String id, String group, String topic, String payload, Instant expiresAt) {
        send(tenant, id, Audience.GROUP, null, group, topic, payload, expiresAt);
    }

    /** Revokes message {@code id}, which expires at {@code expiresAt}. */
    void revoke(String tenant, String id, Instant expiresAt) {
        Map<String, String> headers = base(tenant, id, CloudEventTypes.OUTBOUND_REVOKED);
        headers.put(CloudEventHeaders.EXPIRES_AT, expiresAt.toString());
        write(headers, null);
    }

    private void send(String tenant, String id, Audience audience, String device, String group, String topic,
            String payload, Instant expiresAt) {
        Map<String, String> headers = base(tenant, id, CloudEventTypes.OUTBOUND_NOTIFICATION);
        if (audience != null) {
            headers.put(CloudEventHeaders.AUDIENCE, audience.headerValue());
        }
        if (device != null) {
            headers.put(CloudEventHeaders.DEVICE, device);
        }
        if (group != null) {
            headers.put(CloudEventHeaders.GROUP, group);
        }
        headers.put(CloudEventHeaders.MQTT_TOPIC, topic);
        headers.put(CloudEventHeaders.EXPIRES_AT, expiresAt.toString());
        headers.put(CloudEventHeaders.CONTENT_TYPE, "text/plain");
        write(headers, payload.getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, String> base(String tenant, String id, String type) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        headers.put(CloudEventHeaders.ID, id);
        headers.put(CloudEventHeaders.TYPE, type);
        headers.put(CloudEventHeaders.SOURCE, "/audience-owner");
        headers.put(CloudEventHeaders.TIME, Instant.now().toString());
        headers.put(CloudEventHeaders.TENANT, tenant);
        return headers;
    }

    private void write(Map<String, String> headers, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(Topics.OUTBOUND, null, key, value, CloudEventRecords.headers(headers)))
                    .get(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("an outbound record was not written", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
