package io.outpost.mailbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.MessageKind;
import io.outpost.contracts.Topics;
import io.outpost.mailbox.Outbox.OutboxWritten;
import io.outpost.messaging.CloudEventRecords;
import io.outpost.messaging.OutboxRelay;
import io.outpost.messaging.ReliableProducer;
import io.outpost.messaging.TraceContext;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Relays {@code mailbox_outbox} with the shared {@link OutboxRelay} (write order; exactly the acknowledged rows are
 * deleted). A mailbox message is built from its row right before sending and is dropped unless it is still PENDING
 * and unexpired by this owner's clock: that is the last hand-over check, so an expired or cancelled message is never
 * published. The record's timestamp is this owner's clock at sending, which lets bridge nodes turn the expiry into a
 * deadline of their own clock whatever theirs says. A crash between send and delete publishes the same records again,
 * which devices and consumers de-duplicate by id (at least once). A message's record carries the trace context it was
 * stored with ({@code traceparent}/{@code tracestate} headers), whichever thread and transaction relays it.
 */
@ApplicationScoped
public class MailboxRelay {
    private static final Logger LOG = Logger.getLogger(MailboxRelay.class);
    /** Arbitrary constant naming the relay's PostgreSQL advisory lock ("mailbox"). */
    private static final long RELAY_LOCK = 0x6d61696c626f78L;
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    @ConfigProperty(name = "quarkus.application.name")
    String application;
    @Inject
    DataSource dataSource;
    @Inject
    ObjectMapper json;
    @Inject
    MailboxConfig config;

    private KafkaProducer<String, byte[]> producer;
    private OutboxRelay relay;

    void start(@Observes StartupEvent start) {
        // Each batch is flushed at once: waiting for more records would only add latency.
        producer = ReliableProducer.create(kafkaConfig, application + "-mailbox-outbox", 0);
        relay = new OutboxRelay("mailbox_outbox", RELAY_LOCK, config.relayBatch(), config.outboxPoll(), dataSource,
                producer, this::read);
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) OutboxWritten written) {
        wakeUp();
    }

    public void wakeUp() {
        if (relay != null) {
            relay.wakeUp();
        }
    }

    private List<OutboxRelay.Entry> read(Connection connection, int limit) throws Exception {
        List<OutboxRelay.Entry> entries = new ArrayList<>();
        Instant now = Instant.now();
        try (PreparedStatement select = connection.prepareStatement("select o.seq, o.message_id, o.topic,"
                + " o.record_key, o.headers::text as headers, o.payload as record_value, m.tenant_id, m.device_id,"
                + " m.kind, m.mqtt_topic, m.content_type, m.payload, m.created_at, m.expires_at, m.state,"
                + " m.device_incarnation, m.traceparent, m.tracestate"
                + " from mailbox_outbox o left join mailbox_message m on m.id = o.message_id"
                + " order by o.seq limit ?")) {
            select.setInt(1, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong("seq");
                    entries.add(new OutboxRelay.Entry(seq, rs.getString("message_id") == null ? ready(rs)
                            : message(rs, now)));
                }
            }
        }
        return entries;
    }

    private ProducerRecord<String, byte[]> ready(ResultSet rs) throws Exception {
        Map<String, String> headers = json.readValue(rs.getString("headers"), HEADERS);
        return new ProducerRecord<>(rs.getString("topic"), null, rs.getString("record_key"),
                rs.getBytes("record_value"), CloudEventRecords.headers(headers));
    }

    /** The message's record, or null if it must not go out any more. */
    private ProducerRecord<String, byte[]> message(ResultSet rs, Instant now) throws SQLException {
        String id = rs.getString("message_id");
        Instant expiresAt = rs.getTimestamp("expires_at").toInstant();
        String state = rs.getString("state");
        if (!MailboxState.PENDING.name().equals(state) || !now.isBefore(expiresAt)) {
            LOG.debugf("not publishing %s: %s, expires %s", id, state, expiresAt);
            return null;
        }
        String tenant = rs.getString("tenant_id");
        String device = rs.getString("device_id");
        RecordHeaders headers = CloudEventRecords.headers(id, config.source(),
                type(MessageKind.valueOf(rs.getString("kind"))), rs.getTimestamp("created_at").toInstant(), tenant,
                device, rs.getString("content_type"));
        CloudEventRecords.add(headers, CloudEventHeaders.EXPIRES_AT, expiresAt.toString());
        CloudEventRecords.add(headers, CloudEventHeaders.MQTT_TOPIC, rs.getString("mqtt_topic"));
        Timestamp incarnation = rs.getTimestamp("device_incarnation");
        if (incarnation != null) {
            CloudEventRecords.add(headers, CloudEventHeaders.DEVICE_INCARNATION, incarnation.toInstant().toString());
        }
        TraceContext.of(rs.getString("traceparent"), rs.getString("tracestate")).writeTo(headers);
        return new ProducerRecord<>(Topics.OUTBOUND, null, tenant + "/" + device, rs.getBytes("payload"), headers);
    }

    static String type(MessageKind kind) {
        return switch (kind) {
            case COMMAND -> CloudEventTypes.OUTBOUND_COMMAND;
            case NOTIFICATION -> CloudEventTypes.OUTBOUND_NOTIFICATION;
            case INQUIRY_RESPONSE -> CloudEventTypes.OUTBOUND_INQUIRY_RESPONSE;
            case TUNNEL_REQUEST -> CloudEventTypes.OUTBOUND_TUNNEL_REQUEST;
        };
    }

    /** Stops relaying before the database and Kafka clients go away; what is left is relayed after the restart. */
    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        if (relay != null) {
            relay.stop(Duration.ofSeconds(10));
            producer.close(Duration.ofSeconds(10));
        }
    }
}
