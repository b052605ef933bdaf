package io.outpost.remoteaccess.relay;

import java.nio.charset.StandardCharsets;

/** WebSocket close reasons: at most 123 bytes of UTF-8 (RFC 6455, 5.5). */
final class Reasons {
    private static final int MAX_BYTES = 123;

    private Reasons() {
    }

    static String fit(String reason) {
        if (reason == null) {
            return "";
        }
        String fitted = reason;
        while (fitted.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            fitted = fitted.substring(0, fitted.length() - 1);
        }
        return fitted;
    }

    /** A code that may be sent in a close frame: 1005, 1006 and 1015 only describe what happened. */
    static int sendable(int code) {
        return code == 1005 || code == 1006 || code == 1015 ? 1000 : code;
    }
}
