package io.outpost.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class TunnelRequestTest {

    @Test
    void theMessageGivesTunnelPortRelayUrlTokenAndExpiry() {
        TunnelRequest request = TunnelRequest.parse(bytes("""
                {"tunnel": "tun_3f6c", "port": 22,
                 "url": "ws://127.0.0.1:8087/relay/v1/tunnels/tun_3f6c/device",
                 "token": "s3cr\\"et", "expiresAt": "2026-12-01T10:00:30Z"}"""));

        assertEquals("tun_3f6c", request.tunnel());
        assertEquals(22, request.port());
        assertEquals(URI.create("ws://127.0.0.1:8087/relay/v1/tunnels/tun_3f6c/device"), request.url());
        assertEquals("s3cr\"et", request.token());
        assertEquals(Instant.parse("2026-12-01T10:00:30Z"), request.expiresAt());
    }

    @Test
    void theTokenIsNeverPartOfTheTextOfARequest() {
        TunnelRequest request = TunnelRequest.parse(bytes(message("tun_1", "22", "wss://relay.example.com/x",
                "very-secret-token", "2026-12-01T10:00:30Z")));

        assertFalse(request.toString().contains("very-secret-token"), request.toString());
        assertTrue(request.toString().contains("tun_1"));
    }

    @Test
    void aMessageWithoutAUsableMemberIsRejectedNamingItButNotTheToken() {
        assertThrows(IllegalArgumentException.class, () -> TunnelRequest.parse(bytes("not json")));
        var noToken = assertThrows(IllegalArgumentException.class, () -> TunnelRequest.parse(bytes(
                "{\"tunnel\":\"t\",\"port\":22,\"url\":\"ws://h/x\",\"expiresAt\":\"2026-12-01T10:00:30Z\"}")));
        assertEquals("token is missing", noToken.getMessage());
        var badPort = assertThrows(IllegalArgumentException.class, () -> TunnelRequest.parse(bytes(
                message("t", "70000", "ws://h/x", "secret", "2026-12-01T10:00:30Z"))));
        assertTrue(badPort.getMessage().contains("port"));
        var notWebSocket = assertThrows(IllegalArgumentException.class, () -> TunnelRequest.parse(bytes(
                message("t", "22", "http://h/x", "secret", "2026-12-01T10:00:30Z"))));
        assertTrue(notWebSocket.getMessage().contains("ws://"));
        var badExpiry = assertThrows(IllegalArgumentException.class, () -> TunnelRequest.parse(bytes(
                message("t", "22", "ws://h/x", "secret", "tomorrow"))));
        assertFalse(badExpiry.getMessage().contains("secret"));
    }

    static String message(String tunnel, String port, String url, String token, String expiresAt) {
        return "{\"tunnel\":\"" + tunnel + "\",\"port\":" + port + ",\"url\":\"" + url + "\",\"token\":\"" + token
                + "\",\"expiresAt\":\"" + expiresAt + "\"}";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
