package io.outpost.telemetry.query;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** An opaque keyset cursor: the sort key of the last row of a page, as base64url of its parts. */
final class Cursor {
    private Cursor() {
    }

    static String encode(String... parts) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
    }

    /** The parts, or null if the text is not a cursor with {@code count} parts. */
    static List<String> decode(String cursor, int count) {
        try {
            List<String> parts = List.of(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)
                    .split("\n", -1));
            return parts.size() == count ? parts : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
