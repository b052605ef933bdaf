package io.outpost.mailbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.CloudEventHeaders;
import io.outpost.messaging.TraceContext;

/**
 * The transactional outbox: records to publish are written in the caller's transaction, so a rolled-back change
 * publishes nothing and a committed one cannot be lost between the database and Kafka. {@link MailboxRelay} publishes
 * them in write order; {@link OutboxWritten} wakes it after the commit.
 */
@ApplicationScoped
public class Outbox {
    @Inject
    DataSource dataSource;
    @Inject
    ObjectMapper json;
    @Inject
    Event<OutboxWritten> written;

    /** Publishes these mailbox messages to {@code outpost.outbound.v1}, in this order, if still pending and unexpired. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(Collection<String> messageIds) {
        if (messageIds.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(Clock.now());
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "insert into mailbox_outbox (message_id, created_at) values (?, ?)")) {
            for (String id : messageIds) {
                insert.setString(1, id);
                insert.setTimestamp(2, now);
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("writing the outbox failed", e);
        }
        written.fire(OutboxWritten.INSTANCE);
    }

    /** A record ready to publish as it is: CloudEvents headers and value. */
    public record ReadyRecord(String topic, String key, Map<String, String> headers, byte[] value) {
    }

    /** Publishes one ready record (CloudEvents headers, value) to {@code topic}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(String topic, String key, Map<String, String> headers, byte[] value) {
        appendAll(List.of(new ReadyRecord(topic, key, headers, value)));
    }

    /**
     * Publishes ready records, in this order, in one round trip. A record without trace headers gets the current span's
     * (e.g. the command event of a reply carries the reply's trace); none while tracing is off.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void appendAll(List<ReadyRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        TraceContext trace = TraceContext.current();
        Timestamp now = Timestamp.from(Clock.now());
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("insert into mailbox_outbox"
                        + " (topic, record_key, headers, payload, created_at) values (?, ?, cast(? as jsonb), ?, ?)")) {
            for (ReadyRecord record : records) {
                insert.setString(1, record.topic());
                insert.setString(2, record.key());
                insert.setString(3, json.writeValueAsString(traced(record.headers(), trace)));
                insert.setBytes(4, record.value());
                insert.setTimestamp(5, now);
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("writing the outbox failed", e);
        }
        written.fire(OutboxWritten.INSTANCE);
    }

    private static Map<String, String> traced(Map<String, String> headers, TraceContext trace) {
        if (!trace.present() || headers.containsKey(CloudEventHeaders.TRACE_PARENT)) {
            return headers;
        }
        Map<String, String> traced = new LinkedHashMap<>(headers);
        trace.writeTo(traced);
        return traced;
    }

    /** Fired after an outbox record was written; observed after the transaction commits. */
    public enum OutboxWritten {
        INSTANCE
    }
}
