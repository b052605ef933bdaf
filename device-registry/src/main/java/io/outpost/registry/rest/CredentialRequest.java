package io.outpost.registry.rest;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A new device credential: a supplied secret (factory provisioning) or, without one, a generated secret. */
@Schema(description = "A credential to add; omit secret to have one generated")
public record CredentialRequest(
        @Schema(description = "The secret, 16 to 256 characters; omit to generate 256 random bits",
                examples = "s3cr3t-from-the-factory-line") String secret,
        @Schema(description = "When the secret stops being accepted; omit for never",
                examples = "2027-12-31T00:00:00Z") Instant notAfter) {
}
