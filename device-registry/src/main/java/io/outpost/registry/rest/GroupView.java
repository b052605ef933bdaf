package io.outpost.registry.rest;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A device group as the registry returns it. */
@Schema(description = "A device group")
public record GroupView(
        @Schema(examples = "fleet-north") String id,
        String tenant,
        String name,
        String description,
        @Schema(description = "Number of member devices") long members,
        Instant createdAt,
        Instant updatedAt,
        long version) {
}
