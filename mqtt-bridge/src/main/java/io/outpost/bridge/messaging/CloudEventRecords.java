package io.outpost.bridge.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.common.header.internals.RecordHeaders;

import io.outpost.contracts.CloudEventHeaders;

/** Builds the CloudEvents binary-mode headers every record of the bridge carries. */
public final class CloudEventRecords {
    private CloudEventRecords() {
    }

    public static RecordHeaders headers(String id, String source, String type, String tenant, String device,
            String contentType) {
        RecordHeaders headers = new RecordHeaders();
        add(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        add(headers, CloudEventHeaders.ID, id);
        add(headers, CloudEventHeaders.SOURCE, source);
        add(headers, CloudEventHeaders.TYPE, type);
        add(headers, CloudEventHeaders.TIME, Instant.now().toString());
        add(headers, CloudEventHeaders.TENANT, tenant);
        add(headers, CloudEventHeaders.DEVICE, device);
        add(headers, CloudEventHeaders.CONTENT_TYPE, contentType);
        return headers;
    }

    public static void add(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
