package io.outpost.command.rest;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** What the device replied. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "The device's reply")
public record ResultView(
        @Schema(description = "The status level of the device's reply topic as it wrote it; absent if it gave none",
                examples = "succeeded") String status,
        @Schema(description = "Media type of the reply", examples = "application/json") String contentType,
        @Schema(description = "The reply, when it is JSON") JsonNode payload,
        @Schema(description = "The reply, base64, when it is not JSON") String payloadBase64,
        Instant receivedAt) {
}
