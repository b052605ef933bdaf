package io.outpost.notification.rest;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.outpost.notification.NotificationState;

/** A notification as the API shows it; a device's list shows its delivery instead of the progress. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A notification and where it stands")
public record NotificationView(
        @Schema(description = "Notification id (also the MQTT message id devices de-duplicate on)") String id,
        String tenant,
        NotificationRequest.TargetRequest target,
        @Schema(description = "Below devices/{device}/notifications/", examples = "alerts/air-quality") String topic,
        @Schema(description = "ACTIVE, FINISHED (every member addressed has it or can never take it; members joining"
                + " still get it until it"
                + " expires), REVOKED or EXPIRED") NotificationState state,
        @Schema(description = "When it reached its state") Instant stateAt,
        @Schema(description = "Why, e.g. revoked by alice") String reason,
        String createdBy,
        Instant createdAt,
        @Schema(description = "Never delivered after this instant") Instant expiresAt,
        @Schema(description = "Media type of the payload") String contentType,
        @Schema(description = "The payload, when it is JSON") JsonNode payload,
        @Schema(description = "The payload, base64, when it is not JSON") String payloadBase64,
        @Schema(description = "Members addressed, delivered, pending, expired, revoked, undeliverable") ProgressView progress,
        @Schema(description = "In a device's list: when it reached this device; absent while pending")
        Instant deliveredAt) {
}
