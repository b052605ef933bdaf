package io.outpost.registry.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Who the registry believes is calling, as read from the verified access token. */
@Schema(description = "The caller as the registry sees it after verifying the bearer token")
public record Caller(
        @Schema(description = "The token's subject", examples = "service-account-tenant-acme") String subject,
        @Schema(description = "Tenants the caller may act for", examples = "[\"acme\"]") List<String> tenants,
        @Schema(description = "Outpost roles granted to the caller", examples = "[\"tenant-admin\"]") List<String> roles) {
}
