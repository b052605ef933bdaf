package io.outpost.remoteaccess.relay;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import io.outpost.remoteaccess.tunnel.Side;
import io.vertx.core.http.ServerWebSocket;

/**
 * One side of a tunnel connected to this node: its WebSocket, what it read and was sent, and the close code this node
 * chose if it closed it (a client's echo of the close frame is not trusted to carry it back). Guard threads and event
 * loops close and splice it at once, so those steps are synchronized.
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
    private boolean spliced;
    private boolean ended;
    /** Closes the other side (or the link to the node holding it) once this one closed. */
    private BiConsumer<Integer, String> closePeer = (code, reason) -> {
    };
    private Integer closingCode;
    private String closingReason;

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

    synchronized boolean spliced() {
        return spliced;
    }

    /** Joins it to its peer; false if it ended meanwhile (the peer is then closed with its code at once). */
    boolean splicedTo(BiConsumer<Integer, String> closePeer) {
        synchronized (this) {
            if (!ended) {
                this.closePeer = closePeer;
                spliced = true;
                return true;
            }
        }
        closePeer.accept(Reasons.sendable(closedCode()), closedReason());
        return false;
    }

    /** Marks it ended; true only the first time, for whoever records the end. */
    synchronized boolean end() {
        if (ended) {
            return false;
        }
        ended = true;
        return true;
    }

    synchronized void closePeer(int code, String reason) {
        closePeer.accept(code, reason);
    }

    /**
     * Closes it with this code and reason, unless it is closing already. Resumed, so that what it had queued and its
     * end still arrive: a side paused by back-pressure or waiting for its peer would otherwise never end.
     */
    void close(int code, String reason) {
        synchronized (this) {
            if (closingCode != null) {
                return;
            }
            closingCode = code;
            closingReason = reason;
        }
        socket.close((short) code, Reasons.fit(reason));
        socket.resume();
    }

    /** The code it closed with: the one this node chose, else the one its client sent. */
    synchronized int closedCode() {
        if (closingCode != null) {
            return closingCode;
        }
        Short received = socket.closeStatusCode();
        return received == null ? 1006 : received;
    }

    synchronized String closedReason() {
        return closingCode != null ? closingReason : socket.closeReason();
    }

    synchronized boolean closedByThisNode() {
        return closingCode != null;
    }
}
