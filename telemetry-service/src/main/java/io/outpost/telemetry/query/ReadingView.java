package io.outpost.telemetry.query;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

/** A reading as the API shows it: JSON payloads as JSON ({@code payload}), others as base64 ({@code payloadBase64}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReadingView(String id, String device, String stream, Instant receivedAt, String contentType,
        @JsonRawValue String payload, String payloadBase64) {
}
