package io.outpost.telemetry.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.outpost.contracts.CloudEventHeaders;

/**
 * Reads the bridge's telemetry records (CloudEvents binary mode, key {@code tenant/device}, {@code ce_mqtttopic}
 * {@code telemetry[/stream]}). A payload is kept as JSON when it is valid JSON and its content type is a JSON type or
 * unknown (then it is labelled {@code application/json}); everything else is kept as bytes, with its content type.
 */
public final class Readings {
    private static final JsonFactory JSON = new JsonFactory();
    private static final String JSON_TYPE = "application/json";
    private static final String UNKNOWN_TYPE = "application/octet-stream";

    private Readings() {
    }

    /** The reading, or empty for a record that is not a device's telemetry (no key, a foreign topic). */
    public static Optional<Reading> of(ConsumerRecord<String, byte[]> record) {
        String key = record.key();
        int slash = key == null ? -1 : key.indexOf('/');
        String topic = header(record, CloudEventHeaders.MQTT_TOPIC);
        if (slash <= 0 || topic == null || !(topic.equals("telemetry") || topic.startsWith("telemetry/"))) {
            return Optional.empty();
        }
        String stream = topic.equals("telemetry") ? "" : topic.substring("telemetry/".length());
        String contentType = header(record, CloudEventHeaders.CONTENT_TYPE);
        byte[] payload = record.value() == null ? new byte[0] : record.value();
        String json = jsonType(contentType) ? json(payload) : null;
        String id = header(record, CloudEventHeaders.ID);
        return Optional.of(new Reading(key.substring(0, slash), key.substring(slash + 1), stream,
                receivedAt(record), record.partition(), record.offset(),
                id != null ? id : record.partition() + "-" + record.offset(), label(contentType, json), json,
                json == null ? payload : null, incarnation(header(record, CloudEventHeaders.DEVICE_INCARNATION))));
    }

    /**
     * JSON types, and no type at all: MQTT 3.1.1 devices cannot send one, and the bridge labels their payloads
     * {@code application/octet-stream}, which therefore means "unknown" here; such a payload is JSON if it parses.
     */
    private static boolean jsonType(String contentType) {
        if (contentType == null) {
            return true;
        }
        String type = mediaType(contentType);
        return type.equals(JSON_TYPE) || type.endsWith("+json") || type.equals(UNKNOWN_TYPE);
    }

    /** A payload of unknown type that parsed as JSON is labelled JSON; a declared type is kept. */
    private static String label(String contentType, String json) {
        return json != null && (contentType == null || isOctetStream(contentType)) ? JSON_TYPE : contentType;
    }

    private static boolean isOctetStream(String contentType) {
        return mediaType(contentType).equals(UNKNOWN_TYPE);
    }

    private static String mediaType(String contentType) {
        return contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    /** The payload as JSON text if it is exactly one valid JSON value PostgreSQL's jsonb can hold, else null. */
    static String json(byte[] payload) {
        if (payload.length == 0) {
            return null;
        }
        String text = new String(payload, StandardCharsets.UTF_8);
        if (text.contains("\\u0000")) {
            return null;
        }
        try (JsonParser parser = JSON.createParser(payload)) {
            if (parser.nextToken() == null) {
                return null;
            }
            parser.skipChildren();
            return parser.nextToken() == null ? text : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static Instant incarnation(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static Instant receivedAt(ConsumerRecord<String, byte[]> record) {
        String time = header(record, CloudEventHeaders.TIME);
        if (time != null) {
            try {
                return Instant.parse(time);
            } catch (DateTimeParseException e) {
                // the broker's timestamp below
            }
        }
        return Instant.ofEpochMilli(record.timestamp());
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
