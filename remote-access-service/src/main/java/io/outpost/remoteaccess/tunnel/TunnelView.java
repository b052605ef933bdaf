package io.outpost.remoteaccess.tunnel;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A tunnel as the API shows it; tokens only in the answer to the POST that opened it. */
@Schema(description = "A tunnel to one port of a device")
public record TunnelView(
        String id,
        String device,
        int port,
        @Schema(description = "OPENING, OPEN or CLOSED") TunnelState state,
        String openedBy,
        Instant requestedAt,
        @Schema(description = "When it closes at the latest") Instant closesBy,
        Instant connectedAt,
        Instant closedAt,
        @Schema(description = "The WebSocket close code it ended with (docs/remote-access.md)") Integer closeCode,
        String closeReason,
        long bytesToDevice,
        long bytesFromDevice,
        @Schema(description = "Where the operator's side connects (POST answer only)") String operatorUrl,
        @Schema(description = "The operator side's single-use token (POST answer only)") String operatorToken,
        @Schema(description = "When the token stops working (POST answer only)") Instant tokenExpiresAt) {

    public static TunnelView of(Tunnel tunnel) {
        return withToken(tunnel, null, null, null);
    }

    public static TunnelView withToken(Tunnel tunnel, String url, String token, Instant expiresAt) {
        return new TunnelView(tunnel.id, tunnel.deviceId, tunnel.port, tunnel.state, tunnel.openedBy,
                tunnel.requestedAt, tunnel.closesBy, tunnel.connectedAt, tunnel.closedAt, tunnel.closeCode,
                tunnel.closeReason, tunnel.bytesToDevice, tunnel.bytesFromDevice, url, token, expiresAt);
    }
}
