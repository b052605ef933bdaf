package io.outpost.inquiry.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A PUT handler. */
@Schema(description = "Who answers the tenant's inquiries of one name")
public record HandlerRequest(
        @Schema(description = "webhook or kafka", example = "webhook") String kind,
        @Schema(description = "webhook: the HTTPS URL inquiries are POSTed to", example = "https://backend.example/weather")
        String url,
        @Schema(description = "webhook: the HMAC-SHA256 key calls are signed with, 32 to 256 characters; generated "
                + "when absent (and kept when the handler is replaced without one). Shown once, in this response.")
        String secret,
        @Schema(description = "webhook: true makes a new secret (shown once) even if the handler had one")
        Boolean rotateSecret,
        @Schema(description = "webhook: how long the call may take before the device gets an error; default 5s, at "
                + "most 30s", example = "5s") String timeout,
        @Schema(description = "Lifetime of a continuing inquiry unless the device asks for another; default 1h, at "
                + "most 7d", example = "1h") String defaultLifetime,
        @Schema(description = "How long an answer waits for an offline device unless the answer says; default 5m",
                example = "5m") String answerTtl,
        @Schema(description = "true: an answer not yet delivered is replaced by a newer one of the same inquiry (an "
                + "offline device gets the newest, not every stale one) unless the answer says otherwise")
        Boolean latestOnly) {
}
