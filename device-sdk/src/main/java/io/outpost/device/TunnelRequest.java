package io.outpost.device;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The platform's request to open a tunnel, from the JSON payload of {@code devices/{d}/remote-access/tunnels/{id}}:
 * {@code {"tunnel": "tun_...", "port": 22, "url": "ws://.../device", "token": "...", "expiresAt": "..."}}. The token
 * opens the device's side of the tunnel once; {@link #toString()} leaves it out.
 */
record TunnelRequest(String tunnel, int port, URI url, String token, Instant expiresAt) {

    /** @throws IllegalArgumentException naming the member that is missing or malformed (never the token's value) */
    static TunnelRequest parse(byte[] payload) {
        String json = new String(payload, StandardCharsets.UTF_8);
        if (!json.strip().startsWith("{")) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String tunnel = required(json, "tunnel");
        Long port = Json.longField(json, "port");
        if (port == null || port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be a number 1-65535");
        }
        URI url;
        try {
            url = new URI(required(json, "url"));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url is not a URI: " + e.getMessage());
        }
        if (!"ws".equalsIgnoreCase(url.getScheme()) && !"wss".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalArgumentException("url must be ws:// or wss://, was " + url.getScheme());
        }
        String token = required(json, "token");
        Instant expiresAt;
        try {
            expiresAt = Instant.parse(required(json, "expiresAt"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expiresAt is not an ISO-8601 instant");
        }
        return new TunnelRequest(tunnel, port.intValue(), url, token, expiresAt);
    }

    private static String required(String json, String field) {
        String value = Json.stringField(json, field);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return value;
    }

    @Override
    public String toString() {
        return "TunnelRequest[tunnel=" + tunnel + ", port=" + port + ", url=" + url + ", expiresAt=" + expiresAt + "]";
    }
}
