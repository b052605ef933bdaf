package io.outpost.remoteaccess.relay;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import io.outpost.remoteaccess.tunnel.Side;
import io.vertx.core.http.ServerWebSocket;

/**
 * One side of a tunnel connected to this node: its WebSocket, what it read and was sent, and the close code this node
 * chose if it closed it (a client's echo of the close frame is not trusted to carry it back).
 */
final class LocalSide {
    final String tunnelId;
    final Side side;
    final String tenant;
    final String device;
    final int port;
    final ServerWebSocket socket;
    final Instant connectedAt = Instant.now();
    final AtomicLong read = new AtomicLong();
    final AtomicLong written = new AtomicLong();
    private volatile boolean spliced;
    /** Closes the other side (or the link to the node holding it) once this one closed. */
    private volatile java.util.function.BiConsumer<Integer, String> closePeer = (code, reason) -> {
    };
    private volatile Integer closingCode;
    private volatile String closingReason;

    LocalSide(String tunnelId, Side side, String tenant, String device, int port, ServerWebSocket socket) {
        this.tunnelId = tunnelId;
        this.side = side;
        this.tenant = tenant;
        this.device = device;
        this.port = port;
        this.socket = socket;
    }

    String key() {
        return LocalSides.key(tunnelId, side);
    }

    boolean spliced() {
        return spliced;
    }

    void splicedTo(java.util.function.BiConsumer<Integer, String> closePeer) {
        this.closePeer = closePeer;
        spliced = true;
    }

    void closePeer(int code, String reason) {
        closePeer.accept(code, reason);
    }

    /** Closes it with this code and reason, unless it is closing already. */
    void close(int code, String reason) {
        if (closingCode == null) {
            closingCode = code;
            closingReason = reason;
            socket.close((short) code, Reasons.fit(reason));
        }
    }

    /** The code it closed with: the one this node chose, else the one its client sent. */
    int closedCode() {
        if (closingCode != null) {
            return closingCode;
        }
        Short received = socket.closeStatusCode();
        return received == null ? 1006 : received;
    }

    String closedReason() {
        return closingCode != null ? closingReason : socket.closeReason();
    }

    boolean closedByThisNode() {
        return closingCode != null;
    }
}
