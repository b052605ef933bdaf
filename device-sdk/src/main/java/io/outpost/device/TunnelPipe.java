package io.outpost.device;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One TCP connection and one relay WebSocket ({@link RelaySocket}), piped both ways: what the socket gives goes out as
 * binary frames, what the WebSocket receives is written to the socket, in order. Both sides of a tunnel use it, the
 * device's agent with its connection to the local port and the operator's {@code outpost-tunnel} with the connection
 * it accepted.
 * <p>
 * Two threads of its own, one per direction, with blocking reads and writes: so back-pressure reaches both TCP peers
 * through the relay's flow control without any queue in between.
 * <p>
 * Ending: when the socket's input ends, the WebSocket is closed with 1000 and the socket stays open for what still
 * arrives until the relay answers the close; when the relay closes first, its close is answered with the same code
 * and the socket is closed. A failure on either side closes both: the WebSocket with 1011 (1008 if the relay sent a
 * text frame) and the socket at once. A relay that does not answer a close within 10 s is dropped. {@link #closed()}
 * completes once, when both are closed.
 */
public final class TunnelPipe {
    private static final System.Logger LOG = System.getLogger(TunnelPipe.class.getName());
    private static final int CHUNK = 64 * 1024;

    private final Socket socket;
    private final RelaySocket relay;
    private final String name;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    /** Set once this side sent its close or the relay's close arrived: later failures are part of the ending. */
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean socketClosed = new AtomicBoolean();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();

    private TunnelPipe(Socket socket, RelaySocket relay, String name) {
        this.socket = socket;
        this.relay = relay;
        this.name = name;
    }

    /**
     * Opens the relay WebSocket at {@code url} ({@code ws://} or {@code wss://}, trusted as {@code http}'s SSL context
     * says) with {@code token} and starts piping {@code socket} through it. If the WebSocket cannot be opened (the
     * relay refuses the token with 401: {@link RelayHandshakeException}, or is not reachable) the future fails and the
     * socket is closed.
     *
     * @param name names the pipe's threads and log lines, e.g. the tunnel's id
     */
    public static CompletableFuture<TunnelPipe> open(HttpClient http, URI url, String token, Socket socket,
            String name) {
        CompletableFuture<TunnelPipe> opened = new CompletableFuture<>();
        daemon(() -> {
            try {
                socket.setTcpNoDelay(true);
            } catch (SocketException e) {
                LOG.log(System.Logger.Level.DEBUG, "tunnel {0}: TCP_NODELAY not set: {1}", name, e.getMessage());
            }
            try {
                TunnelPipe pipe = new TunnelPipe(socket, Relay.connect(http, url, token), name);
                pipe.start();
                opened.complete(pipe);
            } catch (IOException | RuntimeException e) {
                closeQuietly(socket);
                opened.completeExceptionally(e);
            }
        }, "outpost-tunnel-" + name + "-open").start();
        return opened;
    }

    /** Completes once the WebSocket and the socket are both closed, with the close code and the bytes each way. */
    public CompletableFuture<Closed> closed() {
        return closed.copy();
    }

    /** Bytes read from the socket and sent on the WebSocket so far. */
    public long sent() {
        return sent.get();
    }

    /** Bytes received on the WebSocket and written to the socket so far. */
    public long received() {
        return received.get();
    }

    /**
     * Ends the tunnel from this side: closes the WebSocket with {@code code} and {@code reason} (cut to 123 bytes of
     * UTF-8), which the relay passes on to the other side; the socket is closed when the relay answers.
     */
    public void close(int code, String reason) {
        closeOutput(code, reason);
    }

    /** Drops both at once, without a close handshake. */
    public void abort() {
        closing.set(true);
        finish(1006, "aborted");
    }

    private void start() {
        daemon(this::readRelay, "outpost-tunnel-" + name + "-out").start();
        daemon(this::readSocket, "outpost-tunnel-" + name + "-in").start();
    }

    private void readSocket() {
        byte[] buffer = new byte[CHUNK];
        try {
            InputStream in = socket.getInputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                if (n > 0) {
                    relay.sendBinary(buffer, 0, n);
                    sent.addAndGet(n);
                }
            }
            closeOutput(TunnelCloseCode.NORMAL.code(), "");
        } catch (IOException e) {
            if (!closing.get() && !socketClosed.get()) {
                fail(1011, "the TCP connection failed", e);
            }
        }
    }

    private void readRelay() {
        byte[] buffer = new byte[CHUNK];
        try {
            while (true) {
                RelaySocket.Incoming incoming = relay.read(buffer);
                if (incoming instanceof RelaySocket.Incoming.Data data) {
                    write(buffer, data.length());
                } else if (incoming instanceof RelaySocket.Incoming.Close close) {
                    closing.set(true);
                    // Answered with its own code, as the protocol asks; a no-op if this side closed first.
                    relay.sendClose(close.code() == 1005 ? TunnelCloseCode.NORMAL.code() : close.code(), "");
                    finish(close.code(), close.reason());
                    return;
                } else {
                    // The protocol has no text frames.
                    fail(1008, "text frames are not used", new IOException("text frame"));
                }
            }
        } catch (IOException e) {
            boolean ending = closing.getAndSet(true);
            if (!ending) {
                LOG.log(System.Logger.Level.DEBUG, "tunnel " + name + ": the relay connection failed", e);
            }
            finish(1006, String.valueOf(e.getMessage()));
        }
    }

    private void write(byte[] bytes, int length) {
        if (socketClosed.get()) {
            // Dropped: the close is still read, so the relay's answer arrives.
            return;
        }
        try {
            OutputStream out = socket.getOutputStream();
            out.write(bytes, 0, length);
            received.addAndGet(length);
        } catch (IOException e) {
            if (!socketClosed.get()) {
                fail(1011, "the TCP connection failed", e);
            }
        }
    }

    private void fail(int code, String reason, Throwable error) {
        LOG.log(System.Logger.Level.DEBUG, "tunnel " + name + ": " + reason, error);
        closeOutput(code, reason);
        closeSocket();
    }

    /** Sends this side's close once; the relay's answering close ends the pipe, or the timeout does. */
    private void closeOutput(int code, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            relay.sendClose(code, reason);
        } catch (IOException e) {
            finish(1006, "close not sent: " + e.getMessage());
            return;
        }
        CompletableFuture.delayedExecutor(Relay.CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (!closed.isDone()) {
                finish(1006, "the relay did not answer the close");
            }
        });
    }

    private void finish(int code, String reason) {
        closeSocket();
        relay.close();
        closed.complete(new Closed(code, reason, sent.get(), received.get()));
    }

    private void closeSocket() {
        if (socketClosed.compareAndSet(false, true)) {
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a socket failed: {0}", e.getMessage());
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** How a pipe ended: the WebSocket's close code and reason (1006 if it ended without one), bytes each way. */
    public record Closed(int code, String reason, long sent, long received) {
        /**
         * E.g. {@code 4403 (refused by the device): port 23 is not allowed on the device; 0 bytes sent, 0 bytes
         * received}: the code, its meaning ({@link TunnelCloseCode#describe(int)}), the reason if any, the bytes.
         */
        public String summary() {
            String because = reason == null || reason.isBlank() ? "" : ": " + reason;
            return code + " (" + TunnelCloseCode.describe(code) + ")" + because + "; " + sent + " bytes sent, "
                    + received + " bytes received";
        }
    }
}
