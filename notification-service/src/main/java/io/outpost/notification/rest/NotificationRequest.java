package io.outpost.notification.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/** A POSTed notification. */
@Schema(description = "A notification to send")
public record NotificationRequest(
        @Schema(description = "Who gets it: exactly one of device, group, or fleet true") TargetRequest target,
        @Schema(description = "One to three levels; delivered on devices/{device}/notifications/{topic}",
                example = "alerts/air-quality") String topic,
        @Schema(description = "JSON payload (content type application/json unless another JSON type is given)")
        JsonNode payload,
        @Schema(description = "Any payload, base64; needs contentType") String payloadBase64,
        @Schema(description = "Media type of the payload", example = "application/json") String contentType,
        @Schema(description = "Lifetime: ISO-8601 or 90s, 10m, 2h, 7d; default 24h, at most 7d", example = "2h")
        String ttl) {

    /** Exactly one of its fields. */
    @Schema(description = "The audience: one device, one group, or the tenant's whole fleet")
    public record TargetRequest(
            @Schema(description = "A device id") String device,
            @Schema(description = "A group id") String group,
            @Schema(description = "true: every device of the tenant") Boolean fleet) {
    }
}
