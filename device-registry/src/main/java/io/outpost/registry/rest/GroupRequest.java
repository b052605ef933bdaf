package io.outpost.registry.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A group to create or, without {@code id}, the new state of one to replace. */
@Schema(description = "A device group as the caller writes it")
public record GroupRequest(
        @Schema(description = "Group id, unique in the tenant; only on create", examples = "fleet-north") String id,
        @Schema(examples = "Northern fleet") String name,
        @Schema(examples = "Trucks based in Hamburg and Bremen") String description) {
}
