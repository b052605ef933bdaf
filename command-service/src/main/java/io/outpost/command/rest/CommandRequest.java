package io.outpost.command.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/** What a caller asks a device to do. */
@Schema(description = "A command for one device. Give the payload as JSON (payload) or as bytes (payloadBase64 with contentType), or neither for an empty one.")
public record CommandRequest(
        @Schema(description = "Command name, one MQTT topic level: [A-Za-z0-9][A-Za-z0-9._-]{0,63}", examples = "unlock",
                required = true) String name,
        @Schema(description = "JSON payload, sent to the device as UTF-8 JSON (content type application/json unless contentType names another JSON type)",
                examples = "{\"doors\": \"all\"}") JsonNode payload,
        @Schema(description = "Binary payload, base64; needs contentType", examples = "AQID") String payloadBase64,
        @Schema(description = "Media type of the payload", examples = "application/octet-stream") String contentType,
        @Schema(description = "How long the command may wait for the device: ISO-8601 (PT10M) or 90s, 10m, 2h, 7d; default PT1H, at most P7D",
                examples = "PT10M") String ttl,
        @Schema(description = "How long the device has to reply once it acknowledged the command; default PT1M, at most PT24H",
                examples = "PT30S") String replyTimeout) {
}
