package io.outpost.remoteaccess.audit;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.RemoteAccessEvent;
import io.outpost.contracts.Topics;
import io.outpost.mailbox.MailboxConfig;
import io.outpost.mailbox.MessageIds;
import io.outpost.mailbox.Outbox;
import io.outpost.messaging.CloudEventRecords;

/**
 * Records a remote-access event twice in the caller's transaction: in {@code remote_access_audit} for the audit API,
 * and through the outbox on {@code outpost.remote-access-events.v1}; so neither can have it without the other.
 */
@ApplicationScoped
public class AuditLog {
    @Inject
    EntityManager entityManager;
    @Inject
    DataSource dataSource;
    @Inject
    Outbox outbox;
    @Inject
    MailboxConfig mailbox;
    @Inject
    ObjectMapper json;

    /** The id of a new event. */
    public static String newId() {
        return "rae_" + MessageIds.next();
    }

    /** An event and its record key: {@code {tenant}/{device}}, {@code {tenant}/group:{g}} or {@code {tenant}/fleet}. */
    public record Entry(RemoteAccessEvent event, String key) {
    }

    /** {@code key} is the record key: {@code {tenant}/{device}}, {@code {tenant}/group:{g}} or {@code {tenant}/fleet}. */
    public void record(RemoteAccessEvent event, String key) {
        recordAll(List.of(new Entry(event, key)));
    }

    /** Records the events in this order, in two round trips however many they are. */
    public void recordAll(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        // What the caller changed through Hibernate goes first, as it would before a native query.
        entityManager.flush();
        List<Outbox.ReadyRecord> records = new ArrayList<>(entries.size());
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("insert into remote_access_audit"
                        + " (id, tenant_id, at, type, actor, scope, target, tunnel_id, event)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb))")) {
            for (Entry entry : entries) {
                RemoteAccessEvent event = entry.event();
                byte[] value = serialize(event);
                insert.setString(1, event.id());
                insert.setString(2, event.tenant());
                insert.setTimestamp(3, Timestamp.from(event.at()));
                insert.setString(4, event.type().name());
                insert.setString(5, event.actor());
                insert.setString(6, event.scope());
                insert.setString(7, event.target());
                insert.setString(8, event.tunnel() == null ? null : event.tunnel().id());
                insert.setString(9, new String(value, StandardCharsets.UTF_8));
                insert.addBatch();
                records.add(new Outbox.ReadyRecord(Topics.REMOTE_ACCESS_EVENTS, entry.key(), headers(event), value));
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("writing " + entries.size() + " audit events failed", e);
        }
        outbox.appendAll(records);
    }

    private Map<String, String> headers(RemoteAccessEvent event) {
        Map<String, String> headers = CloudEventRecords.attributes(event.id(), mailbox.source(),
                CloudEventTypes.REMOTE_ACCESS_EVENT, event.at(), event.tenant(),
                "device".equals(event.scope()) ? event.target() : null, "application/json");
        headers.put(CloudEventHeaders.SUBJECT, event.type().name().toLowerCase(Locale.ROOT));
        return headers;
    }

    private byte[] serialize(RemoteAccessEvent event) {
        try {
            return json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a remote-access event always serializes", e);
        }
    }
}
