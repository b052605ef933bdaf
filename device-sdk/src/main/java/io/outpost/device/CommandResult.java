package io.outpost.device;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A device's answer to a command. The platform counts {@code succeeded}, {@code success}, {@code ok} and 2xx codes as
 * success and anything else as failure.
 *
 * @param status      one MQTT topic level, e.g. {@code succeeded}, {@code failed}, {@code 200}
 * @param contentType the payload's media type, or null
 */
public record CommandResult(String status, byte[] payload, String contentType) {
    private static final Pattern STATUS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public CommandResult {
        if (!STATUS.matcher(status).matches()) {
            throw new IllegalArgumentException("status must match " + STATUS + ": " + status);
        }
        payload = payload == null ? new byte[0] : payload;
    }

    public static CommandResult succeeded(String json) {
        return new CommandResult("succeeded", json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public static CommandResult failed(String json) {
        return new CommandResult("failed", json.getBytes(StandardCharsets.UTF_8), "application/json");
    }
}
