package io.outpost.registry.rest;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A tenant as the registry returns it. */
@Schema(description = "A tenant")
public record TenantView(@Schema(examples = "acme") String id, String name, Instant createdAt, long version) {
}
