package io.outpost.notification.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How far a notification got. {@code addressed} counts the members when it was sent; members that join a group
 * later and get it count as delivered too.
 */
@Schema(description = "Progress of a notification over its members")
public record ProgressView(
        @Schema(description = "Members when it was sent (1 for a device)") long addressed,
        @Schema(description = "Members that have it") long delivered,
        @Schema(description = "Addressed members that may still get it") long pending,
        @Schema(description = "Addressed members that did not get it before it expired") long expired,
        @Schema(description = "Addressed members that did not get it before it was revoked") long revoked,
        @Schema(description = "Members that can never take it: larger than the MQTT 5 Maximum Packet Size they"
                + " announced") long undeliverable) {
}
