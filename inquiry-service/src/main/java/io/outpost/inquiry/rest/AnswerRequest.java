package io.outpost.inquiry.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/** A POSTed answer. */
@Schema(description = "An answer to a device's inquiry")
public record AnswerRequest(
        @Schema(description = "JSON payload (content type application/json unless another JSON type is given)")
        JsonNode payload,
        @Schema(description = "Any payload, base64; needs contentType") String payloadBase64,
        @Schema(description = "Media type of the payload", example = "application/json") String contentType,
        @Schema(description = "How long it waits for an offline device; default the handler's (5m), at most 7d",
                example = "5m") String ttl,
        @Schema(description = "true: the last answer of a continuing inquiry, which ends it (ENDED). A one-shot "
                + "inquiry's answer is always its last") Boolean last,
        @Schema(description = "true: replaces an answer of this inquiry the device has not got yet; default the "
                + "handler's") Boolean latestOnly) {
}
