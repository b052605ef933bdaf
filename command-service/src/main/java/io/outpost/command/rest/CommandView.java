package io.outpost.command.rest;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.outpost.contracts.CommandState;

/** A command as the API shows it; lists leave out the payloads and the history. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A command and where it stands")
public record CommandView(
        @Schema(description = "Command id (also the MQTT message id the device de-duplicates on)",
                examples = "0192f3a4-7c1e-7d2a-9b3c-4d5e6f708192") String id,
        String tenant,
        String device,
        @Schema(examples = "unlock") String name,
        @Schema(description = "PENDING, DELIVERED, SUCCEEDED, FAILED, EXPIRED, TIMED_OUT or CANCELLED") CommandState state,
        Instant createdAt,
        @Schema(description = "Never delivered after this instant") Instant expiresAt,
        @Schema(description = "ISO-8601 duration the device has to reply once it acknowledged the command",
                examples = "PT1M") String replyTimeout,
        Instant deliveredAt,
        @Schema(description = "A DELIVERED command becomes TIMED_OUT at this instant without a reply") Instant replyDeadline,
        @Schema(description = "When it reached its final state") Instant finishedAt,
        @Schema(description = "Media type of the payload; absent for an empty payload without one") String contentType,
        @Schema(description = "The payload, when it is JSON") JsonNode payload,
        @Schema(description = "The payload, base64, when it is not JSON") String payloadBase64,
        @Schema(description = "The device's reply, once it came") ResultView result,
        @Schema(description = "Every transition, oldest first") List<TransitionView> history) {
}
