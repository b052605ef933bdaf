package io.outpost.registry.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A tenant to create. */
@Schema(description = "A tenant as a platform-admin creates it")
public record TenantRequest(
        @Schema(description = "Tenant id: [a-z0-9][a-z0-9-]{0,62}", examples = "acme") String id,
        @Schema(examples = "Acme Trucks") String name) {
}
