package io.outpost.bridge.delivery;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.MessageKind;
import io.outpost.contracts.OutboundMessage;
import io.outpost.messaging.CloudEventRecords;

/** Reads an {@link OutboundMessage} from its CloudEvents binary-mode record; null when a required part is missing. */
final class OutboundRecords {
    private OutboundRecords() {
    }

    static OutboundMessage read(ConsumerRecord<String, byte[]> record) {
        Headers headers = record.headers();
        String id = text(headers, CloudEventHeaders.ID);
        String tenant = text(headers, CloudEventHeaders.TENANT);
        String device = text(headers, CloudEventHeaders.DEVICE);
        String topic = text(headers, CloudEventHeaders.MQTT_TOPIC);
        MessageKind kind = kind(text(headers, CloudEventHeaders.TYPE));
        Instant expiresAt = instant(text(headers, CloudEventHeaders.EXPIRES_AT));
        if (id == null || tenant == null || device == null || topic == null || kind == null || expiresAt == null) {
            return null;
        }
        String contentType = text(headers, CloudEventHeaders.CONTENT_TYPE);
        return new OutboundMessage(id, tenant, device, kind, topic, instant(text(headers, CloudEventHeaders.TIME)),
                expiresAt, contentType, record.value() == null ? new byte[0] : record.value());
    }

    private static MessageKind kind(String type) {
        if (type == null) {
            return null;
        }
        return switch (type) {
            case CloudEventTypes.OUTBOUND_COMMAND -> MessageKind.COMMAND;
            case CloudEventTypes.OUTBOUND_NOTIFICATION -> MessageKind.NOTIFICATION;
            case CloudEventTypes.OUTBOUND_INQUIRY_RESPONSE -> MessageKind.INQUIRY_RESPONSE;
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

    private static String text(Headers headers, String name) {
        return CloudEventRecords.text(headers, name);
    }
}
