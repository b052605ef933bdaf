package io.outpost.remoteaccess.audit;

import java.util.Locale;
import java.util.Map;

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
    Outbox outbox;
    @Inject
    MailboxConfig mailbox;
    @Inject
    ObjectMapper json;

    /** The id of a new event. */
    public static String newId() {
        return "rae_" + MessageIds.next();
    }

    /** {@code key} is the record key: {@code {tenant}/{device}}, {@code {tenant}/group:{g}} or {@code {tenant}/fleet}. */
    public void record(RemoteAccessEvent event, String key) {
        byte[] value = serialize(event);
        entityManager.createNativeQuery("insert into remote_access_audit"
                + " (id, tenant_id, at, type, actor, scope, target, tunnel_id, event)"
                + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, cast(?9 as jsonb))")
                .setParameter(1, event.id()).setParameter(2, event.tenant()).setParameter(3, event.at())
                .setParameter(4, event.type().name()).setParameter(5, event.actor()).setParameter(6, event.scope())
                .setParameter(7, event.target())
                .setParameter(8, event.tunnel() == null ? null : event.tunnel().id())
                .setParameter(9, new String(value, java.nio.charset.StandardCharsets.UTF_8)).executeUpdate();
        Map<String, String> headers = CloudEventRecords.attributes(event.id(), mailbox.source(),
                CloudEventTypes.REMOTE_ACCESS_EVENT, event.at(), event.tenant(),
                "device".equals(event.scope()) ? event.target() : null, "application/json");
        headers.put(CloudEventHeaders.SUBJECT, event.type().name().toLowerCase(Locale.ROOT));
        outbox.append(Topics.REMOTE_ACCESS_EVENTS, key, headers, value);
    }

    private byte[] serialize(RemoteAccessEvent event) {
        try {
            return json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a remote-access event always serializes", e);
        }
    }
}
