package io.outpost.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.outpost.contracts.CloudEventHeaders;

/** Builds and reads the CloudEvents 1.0 binary-mode headers every Outpost record carries. */
public final class CloudEventRecords {
    private CloudEventRecords() {
    }

    /**
     * The required attributes plus Outpost's tenant and device extensions, as Kafka headers.
     *
     * @param tenant      null for a record that is about no device (e.g. a bridge node's heartbeat), as is
     *                    {@code device}
     * @param contentType the value's media type; null for a record without value (a tombstone)
     */
    public static RecordHeaders headers(String id, String source, String type, Instant time, String tenant,
            String device, String contentType) {
        RecordHeaders headers = new RecordHeaders();
        visit(id, source, type, time, tenant, device, contentType, (name, value) -> add(headers, name, value));
        return headers;
    }

    /** The same attributes as header names and text values, in header order, e.g. to store a record for later. */
    public static Map<String, String> attributes(String id, String source, String type, Instant time, String tenant,
            String device, String contentType) {
        Map<String, String> attributes = new LinkedHashMap<>();
        visit(id, source, type, time, tenant, device, contentType, attributes::put);
        return attributes;
    }

    /** The attributes in header order, without a map in between: records of devices are built on the hot path. */
    private static void visit(String id, String source, String type, Instant time, String tenant, String device,
            String contentType, BiConsumer<String, String> attribute) {
        attribute.accept(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        attribute.accept(CloudEventHeaders.ID, id);
        attribute.accept(CloudEventHeaders.SOURCE, source);
        attribute.accept(CloudEventHeaders.TYPE, type);
        attribute.accept(CloudEventHeaders.TIME, time.toString());
        if (tenant != null) {
            attribute.accept(CloudEventHeaders.TENANT, tenant);
        }
        if (device != null) {
            attribute.accept(CloudEventHeaders.DEVICE, device);
        }
        if (contentType != null) {
            attribute.accept(CloudEventHeaders.CONTENT_TYPE, contentType);
        }
    }

    /** Headers from names and text values, in the map's order. */
    public static RecordHeaders headers(Map<String, String> values) {
        RecordHeaders headers = new RecordHeaders();
        values.forEach((name, value) -> add(headers, name, value));
        return headers;
    }

    public static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The last value of the header as text, or null. */
    public static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
