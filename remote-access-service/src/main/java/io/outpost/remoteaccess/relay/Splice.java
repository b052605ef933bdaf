package io.outpost.remoteaccess.relay;

import java.util.concurrent.atomic.AtomicLong;

import io.outpost.remoteaccess.tunnel.CloseCodes;
import io.vertx.core.http.WebSocketBase;

/**
 * Joins a local side with its other side: binary frames pumped both ways with back-pressure (a side whose peer's
 * write queue is full is not read until it drains), a close of either end passed on with its code and reason, after
 * what that end sent before it.
 */
final class Splice {
    /**
     * Bytes queued for a side before the other one is no longer read. Netty's default (64 KiB) is a single frame of
     * what clients send, so each frame paused and resumed the sender; 256 KiB keeps a few frames moving.
     */
    static final int WRITE_QUEUE_BYTES = 256 * 1024;

    private Splice() {
    }

    /** Both sides are connected to this node. */
    static void local(LocalSide a, LocalSide b) {
        if (!a.splicedTo(b::close) || !b.splicedTo(a::close)) {
            return;
        }
        pump(a.socket, b.socket, a.read, b.written);
        pump(b.socket, a.socket, b.read, a.written);
        a.socket.resume();
        b.socket.resume();
    }

    /** The other side is connected to another node; {@code link} is the WebSocket between the two nodes. */
    static void remote(LocalSide local, WebSocketBase link) {
        if (!local.splicedTo((code, reason) -> link.close((short) (int) Reasons.sendable(code), Reasons.fit(reason)))) {
            return;
        }
        // A clean close ends the link's stream after the frames before it; a lost link only closes it.
        link.endHandler(end -> passOnClose(local, link));
        link.closeHandler(closed -> {
            Short code = link.closeStatusCode();
            if (code == null || code == 1006) {
                passOnClose(local, link);
            }
        });
        link.exceptionHandler(failure -> link.close());
        pump(local.socket, link, local.read, new AtomicLong());
        pump(link, local.socket, new AtomicLong(), local.written);
        local.socket.resume();
        link.resume();
    }

    private static void passOnClose(LocalSide local, WebSocketBase link) {
        Short code = link.closeStatusCode();
        if (code == null || code == 1006) {
            local.close(CloseCodes.RELAY_NODE_LOST, "the relay node holding the other side went away");
        } else {
            local.close(Reasons.sendable(code), link.closeReason());
        }
    }

    private static void pump(WebSocketBase from, WebSocketBase to, AtomicLong read, AtomicLong written) {
        to.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
        to.drainHandler(drained -> from.resume());
        from.binaryMessageHandler(buffer -> {
            read.addAndGet(buffer.length());
            written.addAndGet(buffer.length());
            to.writeBinaryMessage(buffer);
            if (to.writeQueueFull()) {
                from.pause();
                // The peer may have drained between the check and the pause, on its own event loop.
                if (!to.writeQueueFull()) {
                    from.resume();
                }
            }
        });
    }
}
