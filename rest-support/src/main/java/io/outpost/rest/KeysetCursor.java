package io.outpost.rest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * The sort key of the last row of a page sorted newest first by (time, id): a page costs the same at any depth, and rows
 * created meanwhile never make a page repeat or skip one. Opaque to callers.
 */
public record KeysetCursor(Instant at, String id) {

    public String encode() {
        String text = ChronoUnit.MICROS.between(Instant.EPOCH, at) + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor; 400 naming {@code cursor} if this service did not issue it. */
    public static KeysetCursor decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
            if (parts.length == 2 && !parts[1].isEmpty()) {
                return new KeysetCursor(Instant.EPOCH.plus(Long.parseLong(parts[0]), ChronoUnit.MICROS), parts[1]);
            }
        } catch (IllegalArgumentException e) {
            // Reported below.
        }
        throw ProblemException.invalid("cursor", "cursor is not valid; start again without one");
    }
}
