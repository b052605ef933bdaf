package io.outpost.device;

import java.io.IOException;

/**
 * The relay answered a WebSocket upgrade with something else than 101: 401 for a token that is unknown, used or
 * expired, 503 when it cannot reach its database. {@link #body()} holds its problem+json, if any (at most 4 KiB).
 */
public final class RelayHandshakeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final String body;

    public RelayHandshakeException(int statusCode, String body) {
        super("the relay answered HTTP " + statusCode + (body.isBlank() ? "" : ": " + body));
        this.statusCode = statusCode;
        this.body = body;
    }

    public int statusCode() {
        return statusCode;
    }

    public String body() {
        return body;
    }
}
