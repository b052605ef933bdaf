package io.outpost.rest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * The sort key of the last row of a page sorted newest first by (time, id): a page costs the same at any depth, and rows
 * created meanwhile never make a page repeat or skip one. Opaque to callers.
 */
public record KeysetCursor(Instant at, String id) {

    public String encode() {
        String text = ChronoUnit.MICROS.between(Instant.EPOCH, at) + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The page of {@code rows}, read newest first with one row more than {@code limit} (Panache ranges are inclusive):
     * that extra row says another page follows, whose cursor is the sort key of this page's last row.
     */
    public static <T> Page<T> page(List<T> rows, int limit, Function<T, Instant> at, Function<T, String> id) {
        if (rows.size() <= limit) {
            return new Page<>(List.copyOf(rows), null);
        }
        T last = rows.get(limit - 1);
        return new Page<>(List.copyOf(rows.subList(0, limit)), new KeysetCursor(at.apply(last), id.apply(last)).encode());
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
