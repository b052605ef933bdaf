package io.outpost.registry.rest;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A credential's metadata; {@code secret} is present only in the answer that created it, never again. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A device credential; the secret appears once, when it is created")
public record CredentialView(
        UUID id,
        @Schema(examples = "sha256-salted-v1") String algorithm,
        Instant createdAt,
        Instant notAfter,
        Instant revokedAt,
        @Schema(description = "Only when just generated; store it now, it cannot be read again") String secret) {
}
