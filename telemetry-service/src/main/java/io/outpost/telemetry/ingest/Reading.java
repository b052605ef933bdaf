package io.outpost.telemetry.ingest;

import java.time.Instant;

/**
 * One telemetry reading as stored: where it came from in Kafka (its identity for idempotent storage) and its payload,
 * either JSON ({@code json}, the text) or bytes.
 *
 * @param incarnation the incarnation of the device that sent it ({@code ce_deviceincarnation}); null if not said
 */
public record Reading(String tenant, String device, String stream, Instant receivedAt, int partition, long offset,
        String messageId, String contentType, String json, byte[] bytes, Instant incarnation) {

    public String key() {
        return tenant + "/" + device;
    }
}
