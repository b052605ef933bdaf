package io.outpost.registry.messaging;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.Topics;
import io.outpost.messaging.CloudEventRecords;
import io.outpost.messaging.OutboxRelay;
import io.outpost.messaging.ReliableProducer;
import io.outpost.registry.config.RegistryConfig;
import io.outpost.registry.service.RegistryOutbox.OutboxWritten;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Relays {@code registry_outbox} to the topic each row names ({@code outpost.registry.devices.v1} or
 * {@code outpost.registry.groups.v1}) with the shared {@link OutboxRelay}: in outbox order, deleting exactly the rows
 * Kafka acknowledged. One device's or group's writers are serialized by its row lock, so its records commit, and are
 * relayed, in order; a crash between send and delete re-sends the same records, which a compacted topic absorbs.
 */
@ApplicationScoped
public class RegistryOutboxRelay {
    /** Arbitrary constant naming the relay's PostgreSQL advisory lock. */
    private static final long RELAY_LOCK = 0x6f7574706f7374L;
    private static final String SOURCE = "/outpost/device-registry";

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    @Inject
    DataSource dataSource;
    @Inject
    RegistryConfig config;

    private KafkaProducer<String, byte[]> producer;
    private OutboxRelay relay;

    void start(@Observes StartupEvent start) {
        producer = ReliableProducer.create(kafkaConfig, "device-registry-outbox", 5);
        relay = new OutboxRelay("registry_outbox", RELAY_LOCK, config.outboxBatch(),
                config.outboxPoll(), dataSource, producer, RegistryOutboxRelay::read);
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) OutboxWritten written) {
        wakeUp();
    }

    public void wakeUp() {
        if (relay != null) {
            relay.wakeUp();
        }
    }

    /** Relays up to one batch now, on the caller's thread; how many rows it took, or -1 if another instance relays. */
    int relayBatch() throws Exception {
        return relay.relayBatch();
    }

    static List<OutboxRelay.Entry> read(Connection connection, int limit) throws SQLException {
        List<OutboxRelay.Entry> entries = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "select seq, topic, record_key, payload, created_at from registry_outbox order by seq limit ?")) {
            select.setInt(1, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong("seq");
                    entries.add(new OutboxRelay.Entry(seq, record(seq, rs.getString("topic"),
                            rs.getString("record_key"), rs.getString("payload"),
                            rs.getTimestamp("created_at").toInstant())));
                }
            }
        }
        return entries;
    }

    /** A device's record names it with {@code ce_tenant} and {@code ce_device}, a group's with {@code ce_group}. */
    private static ProducerRecord<String, byte[]> record(long seq, String topic, String key, String payload,
            Instant createdAt) {
        String[] ids = key.split("/", 2);
        boolean group = Topics.REGISTRY_GROUPS.equals(topic);
        Map<String, String> attributes = CloudEventRecords.attributes("registry-" + seq, SOURCE,
                group ? CloudEventTypes.REGISTRY_GROUP : CloudEventTypes.REGISTRY_DEVICE, createdAt, ids[0],
                group ? null : ids[1], payload == null ? null : "application/json");
        if (group) {
            attributes.put(CloudEventHeaders.GROUP, ids[1]);
        }
        byte[] value = payload == null ? null : payload.getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, null, key, value, CloudEventRecords.headers(attributes));
    }

    /** Stops relaying before the database and Kafka clients go away; what is left is relayed after the restart. */
    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        if (relay != null) {
            relay.stop(Duration.ofSeconds(10));
            producer.close(Duration.ofSeconds(10));
        }
    }
}
