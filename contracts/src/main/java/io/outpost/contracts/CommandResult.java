package io.outpost.contracts;

import java.time.Instant;

/**
 * A device's reply to a command, as the device sent it on {@code devices/{d}/commands/response/{commandId}[/{status}]}.
 *
 * @param status      the topic's last level as the device wrote it ({@code succeeded}, {@code failed}, {@code 200},
 *                    ...), or null when the device gave none
 * @param contentType the reply's media type (MQTT 5 content type; {@code application/octet-stream} when none)
 * @param payload     the reply's bytes, untouched (base64 in JSON)
 * @param receivedAt  when the platform received it
 */
public record CommandResult(String status, String contentType, byte[] payload, Instant receivedAt) {
}
