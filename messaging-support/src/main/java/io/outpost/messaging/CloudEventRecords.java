package io.outpost.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.outpost.contracts.CloudEventHeaders;

/** Builds and reads the CloudEvents 1.0 binary-mode headers every Outpost record carries. */
public final class CloudEventRecords {
    private CloudEventRecords() {
    }

    /**
     * The required attributes plus Outpost's tenant and device extensions.
     *
     * @param contentType the value's media type; null for a record without value (a tombstone)
     */
    public static RecordHeaders headers(String id, String source, String type, Instant time, String tenant,
            String device, String contentType) {
        RecordHeaders headers = new RecordHeaders();
        add(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        add(headers, CloudEventHeaders.ID, id);
        add(headers, CloudEventHeaders.SOURCE, source);
        add(headers, CloudEventHeaders.TYPE, type);
        add(headers, CloudEventHeaders.TIME, time.toString());
        add(headers, CloudEventHeaders.TENANT, tenant);
        add(headers, CloudEventHeaders.DEVICE, device);
        if (contentType != null) {
            add(headers, CloudEventHeaders.CONTENT_TYPE, contentType);
        }
        return headers;
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
