package io.outpost.bridge.delivery;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

import io.outpost.contracts.Audience;
import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.MessageKind;
import io.outpost.contracts.OutboundMessage;
import io.outpost.messaging.CloudEventRecords;

/**
 * Reads a CloudEvents binary-mode record of {@code outpost.outbound.v1}. {@code ce_type} decides what it is: a
 * revocation ({@code ce_id} and {@code ce_tenant} required) or a message of a known kind ({@code ce_id},
 * {@code ce_tenant}, {@code ce_mqtttopic} and {@code ce_expiresat} required). {@code ce_audience} (absent = device)
 * decides whom a message is for: {@code device} needs {@code ce_device}, and a {@code ce_group} beside it makes it a
 * member's copy of a group message, sent only while the device is in that group; {@code group} needs {@code ce_group}
 * and no {@code ce_device}; {@code fleet} has neither. A record that is none of these is
 * {@link OutboundRecord.Unusable}: a group or fleet record that also names a device, or a fleet record that names a
 * group, is ambiguous, and guessing could reach a whole fleet.
 */
final class OutboundRecords {
    private OutboundRecords() {
    }

    static OutboundRecord read(ConsumerRecord<String, byte[]> record) {
        Headers headers = record.headers();
        String type = text(headers, CloudEventHeaders.TYPE);
        String id = text(headers, CloudEventHeaders.ID);
        String tenant = text(headers, CloudEventHeaders.TENANT);
        if (CloudEventTypes.OUTBOUND_REVOKED.equals(type)) {
            return id == null || tenant == null ? new OutboundRecord.Unusable("revocation without id or tenant")
                    : new OutboundRecord.Revocation(id, tenant, instant(text(headers, CloudEventHeaders.EXPIRES_AT)));
        }
        MessageKind kind = kind(type);
        if (kind == null) {
            return new OutboundRecord.Unusable("unknown type " + type);
        }
        String topic = text(headers, CloudEventHeaders.MQTT_TOPIC);
        Instant expiresAt = instant(text(headers, CloudEventHeaders.EXPIRES_AT));
        if (id == null || tenant == null || topic == null || expiresAt == null) {
            return new OutboundRecord.Unusable("message without id, tenant, topic or expiry");
        }
        String audienceHeader = text(headers, CloudEventHeaders.AUDIENCE);
        Audience audience = Audience.fromHeader(audienceHeader);
        if (audience == null) {
            return new OutboundRecord.Unusable("unknown audience " + audienceHeader);
        }
        String device = text(headers, CloudEventHeaders.DEVICE);
        String group = text(headers, CloudEventHeaders.GROUP);
        String refusal = switch (audience) {
            case DEVICE -> device == null ? "device message without device" : null;
            case GROUP -> group == null ? "group message without group"
                    : device != null ? "group message that also names a device" : null;
            case FLEET -> device != null || group != null ? "fleet message that also names a device or group" : null;
        };
        if (refusal != null) {
            return new OutboundRecord.Unusable(refusal);
        }
        OutboundMessage message = new OutboundMessage(id, tenant, device, kind, topic,
                instant(text(headers, CloudEventHeaders.TIME)), expiresAt, text(headers, CloudEventHeaders.CONTENT_TYPE),
                record.value() == null ? new byte[0] : record.value());
        return new OutboundRecord.Message(message, audience, group,
                instant(text(headers, CloudEventHeaders.DEVICE_INCARNATION)));
    }

    private static MessageKind kind(String type) {
        if (type == null) {
            return null;
        }
        return switch (type) {
            case CloudEventTypes.OUTBOUND_COMMAND -> MessageKind.COMMAND;
            case CloudEventTypes.OUTBOUND_NOTIFICATION -> MessageKind.NOTIFICATION;
            case CloudEventTypes.OUTBOUND_INQUIRY_RESPONSE -> MessageKind.INQUIRY_RESPONSE;
            case CloudEventTypes.OUTBOUND_TUNNEL_REQUEST -> MessageKind.TUNNEL_REQUEST;
            default -> null;
        };
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The header's value; null when it is absent or blank, so an empty {@code ce_device} names no device. */
    private static String text(Headers headers, String name) {
        String value = CloudEventRecords.text(headers, name);
        return value == null || value.isBlank() ? null : value;
    }
}
