package io.outpost.device;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A notification from the platform, received on {@code devices/{device}/notifications/{topic}}.
 *
 * @param id          the platform's message id (the same on a redelivered copy, which the SDK drops), or null if the
 *                    platform sent none
 * @param topic       the topic below {@code notifications/}, one to three levels, e.g. {@code air-quality/alert}
 * @param contentType the payload's media type, or null if the sender gave none
 * @param expiresIn   what was left of the notification's lifetime when it arrived (MQTT 5 message expiry, whole
 *                    seconds), or null if the platform gave none
 * @param receivedAt  when the device received it
 */
public record Notification(String id, String topic, byte[] payload, String contentType, Duration expiresIn,
        Instant receivedAt) {

    /** The payload as UTF-8 text. */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** When the notification expires, if the platform said. */
    public Optional<Instant> expiresAt() {
        return expiresIn == null ? Optional.empty() : Optional.of(receivedAt.plus(expiresIn));
    }
}
