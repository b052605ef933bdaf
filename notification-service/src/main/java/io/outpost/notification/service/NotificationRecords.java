package io.outpost.notification.service;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.Audience;
import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.Identifiers;
import io.outpost.contracts.MessageKind;
import io.outpost.contracts.NotificationEvent;
import io.outpost.contracts.NotificationEventType;
import io.outpost.contracts.OutboundMessage;
import io.outpost.contracts.Topics;
import io.outpost.mailbox.MailboxConfig;
import io.outpost.mailbox.Outbox;
import io.outpost.messaging.CloudEventRecords;
import io.outpost.notification.Notification;

/**
 * The records a notification becomes on Kafka: its outbound record (one for a whole group or fleet), copies for single
 * members that catch up, its revocation, and its events. Headers as ARCHITECTURE.md and the mailbox relay write them.
 */
@ApplicationScoped
public class NotificationRecords {
    static final String TOPIC_PREFIX = "notifications/";

    @Inject
    MailboxConfig mailbox;
    @Inject
    ObjectMapper json;

    /** A device notification, for its mailbox. */
    OutboundMessage message(Notification notification) {
        return new OutboundMessage(notification.id, notification.tenantId, notification.target,
                MessageKind.NOTIFICATION, TOPIC_PREFIX + notification.topic, notification.createdAt,
                notification.expiresAt, notification.contentType, notification.payload);
    }

    /** The one record of a group or fleet notification; every bridge node delivers it to its connected members. */
    Outbox.ReadyRecord audience(Notification notification) {
        Map<String, String> headers = outboundHeaders(notification, null);
        headers.put(CloudEventHeaders.AUDIENCE, notification.audience.headerValue());
        if (notification.audience == Audience.GROUP) {
            headers.put(CloudEventHeaders.GROUP, notification.target);
        }
        return new Outbox.ReadyRecord(Topics.OUTBOUND, notification.recordKey(), headers, notification.payload);
    }

    /**
     * A group or fleet notification for one member that catches up (it connected, or joined the group). A group's copy
     * names the group too, so a bridge node can check the membership again right before it sends.
     */
    Outbox.ReadyRecord copyFor(Notification notification, String device) {
        Map<String, String> headers = outboundHeaders(notification, device);
        if (notification.audience == Audience.GROUP) {
            headers.put(CloudEventHeaders.GROUP, notification.target);
        }
        return new Outbox.ReadyRecord(Topics.OUTBOUND, notification.tenantId + Identifiers.KEY_SEPARATOR + device,
                headers, notification.payload);
    }

    /** Tells every bridge node to drop the notification wherever it waits, and to ignore it until it expires. */
    Outbox.ReadyRecord revoked(Notification notification, Instant at) {
        Map<String, String> headers = CloudEventRecords.attributes(notification.id, mailbox.source(),
                CloudEventTypes.OUTBOUND_REVOKED, at, notification.tenantId, null, null);
        headers.put(CloudEventHeaders.EXPIRES_AT, notification.expiresAt.toString());
        return new Outbox.ReadyRecord(Topics.OUTBOUND, notification.recordKey(), headers, null);
    }

    Outbox.ReadyRecord event(Notification notification, NotificationEventType type, Instant at, String reason) {
        NotificationEvent event = new NotificationEvent(notification.id, notification.tenantId, type,
                notification.audience, notification.target, notification.topic, at, notification.createdAt,
                notification.expiresAt, notification.addressed, notification.delivered, notification.expired, reason);
        Map<String, String> headers = CloudEventRecords.attributes(
                notification.id + "-" + type.name().toLowerCase(Locale.ROOT), mailbox.source(),
                CloudEventTypes.NOTIFICATION_EVENT, at, notification.tenantId,
                notification.audience == Audience.DEVICE ? notification.target : null, "application/json");
        headers.put(CloudEventHeaders.SUBJECT, notification.id);
        try {
            return new Outbox.ReadyRecord(Topics.NOTIFICATION_EVENTS, notification.recordKey(), headers,
                    json.writeValueAsBytes(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a notification event always serializes", e);
        }
    }

    private Map<String, String> outboundHeaders(Notification notification, String device) {
        Map<String, String> headers = CloudEventRecords.attributes(notification.id, mailbox.source(),
                CloudEventTypes.OUTBOUND_NOTIFICATION, notification.createdAt, notification.tenantId, device,
                notification.contentType);
        headers.put(CloudEventHeaders.EXPIRES_AT, notification.expiresAt.toString());
        headers.put(CloudEventHeaders.MQTT_TOPIC, TOPIC_PREFIX + notification.topic);
        return headers;
    }
}
