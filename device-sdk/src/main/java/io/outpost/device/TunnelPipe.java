package io.outpost.device;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One TCP connection and one relay WebSocket, piped both ways: what the socket gives goes out as binary frames, what
 * the WebSocket receives is written to the socket, in order. Both sides of a tunnel use it, the device's agent with
 * its connection to the local port and the operator's {@code outpost-tunnel} with the connection it accepted.
 * <p>
 * Back-pressure both ways, so the relay's flow control reaches the TCP peers: the socket is read on the pipe's own
 * thread, at most one chunk ahead of what the WebSocket has sent; the WebSocket is asked for at most
 * {@value #RECEIVE_WINDOW} parts of frames ahead of what has been written to the socket, on the pipe's writer thread.
 * Neither runs on the HTTP client's threads.
 * <p>
 * Ending: when the socket's input ends, the WebSocket is closed with 1000 and the socket stays open for what still
 * arrives until the relay answers the close; when the WebSocket closes (the relay's close or its answer), the socket
 * is closed. A failure on either side closes both: the WebSocket with 1011 (1008 if the relay sent a text frame) and
 * the socket at once. A relay that does not answer a close within 10 s is dropped. {@link #closed()} completes once,
 * when both are closed.
 */
public final class TunnelPipe {
    private static final System.Logger LOG = System.getLogger(TunnelPipe.class.getName());
    private static final int CHUNK = 64 * 1024;
    /**
     * Parts of messages received but not yet written to the socket, at most (the HTTP client hands them over in
     * pieces of up to 16 KiB): the socket is written while the next ones arrive.
     */
    private static final int RECEIVE_WINDOW = 16;

    private final Socket socket;
    private final String name;
    private final ExecutorService writer;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    /** Set once this side sent its close or the relay's close arrived: later failures are part of the ending. */
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean socketClosed = new AtomicBoolean();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private volatile WebSocket webSocket;

    private TunnelPipe(Socket socket, String name) {
        this.socket = socket;
        this.name = name;
        this.writer = Executors.newSingleThreadExecutor(r -> daemon(r, "outpost-tunnel-" + name + "-out"));
    }

    /**
     * Opens the relay WebSocket at {@code url} with {@code token} and starts piping {@code socket} through it. If the
     * WebSocket cannot be opened (the relay refuses the token with 401: {@code WebSocketHandshakeException}, or is not
     * reachable) the future fails and the socket is closed.
     *
     * @param name names the pipe's threads and log lines, e.g. the tunnel's id
     */
    public static CompletableFuture<TunnelPipe> open(HttpClient http, URI url, String token, Socket socket,
            String name) {
        TunnelPipe pipe = new TunnelPipe(socket, name);
        try {
            socket.setTcpNoDelay(true);
        } catch (SocketException e) {
            LOG.log(System.Logger.Level.DEBUG, "tunnel {0}: TCP_NODELAY not set: {1}", name, e.getMessage());
        }
        return Relay.connect(http, url, token, pipe.new Listener()).handle((webSocket, error) -> {
            if (error != null) {
                pipe.closeSocket();
                pipe.writer.shutdown();
                throw error instanceof CompletionException completion ? completion : new CompletionException(error);
            }
            return pipe;
        });
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
     * Ends the tunnel from this side: closes the WebSocket with {@code code} and {@code reason} (at most 123 bytes of
     * UTF-8), which the relay passes on to the other side; the socket is closed when the relay answers.
     */
    public void close(int code, String reason) {
        closeOutput(code, reason);
    }

    /** Drops both at once, without a close handshake. */
    public void abort() {
        closing.set(true);
        WebSocket current = webSocket;
        if (current != null) {
            current.abort();
        }
        finish(1006, "aborted");
    }

    private void readSocket() {
        // Two buffers: the next chunk is read from the socket while the previous one is being sent (the WebSocket
        // takes one send at a time, and a buffer is only reused once its send is done).
        byte[][] buffers = {new byte[CHUNK], new byte[CHUNK]};
        CompletableFuture<?> previous = CompletableFuture.completedFuture(null);
        try {
            InputStream in = socket.getInputStream();
            for (int turn = 0;; turn ^= 1) {
                byte[] buffer = buffers[turn];
                int n = in.read(buffer);
                // Waiting here is the back-pressure: no more than one chunk read ahead of what the relay has taken.
                previous.get();
                if (n < 0) {
                    break;
                }
                if (n > 0) {
                    previous = webSocket.sendBinary(ByteBuffer.wrap(buffer, 0, n), true)
                            .thenRun(() -> sent.addAndGet(n));
                }
            }
            closeOutput(TunnelCloseCode.NORMAL.code(), "");
        } catch (IOException | ExecutionException e) {
            if (!closing.get() && !socketClosed.get()) {
                fail(1011, "the TCP connection failed", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(1011, "interrupted", e);
        }
    }

    private void write(byte[] bytes) {
        if (!socketClosed.get()) {
            try {
                OutputStream out = socket.getOutputStream();
                out.write(bytes);
                out.flush();
                received.addAndGet(bytes.length);
            } catch (IOException e) {
                if (!socketClosed.get()) {
                    fail(1011, "the TCP connection failed", e);
                }
            }
        }
        // One more part only now, so a slow TCP peer slows the relay; also after a failure, so the close arrives.
        webSocket.request(1);
    }

    private void fail(int code, String reason, Throwable error) {
        LOG.log(System.Logger.Level.DEBUG, "tunnel " + name + ": " + reason, error);
        closeOutput(code, reason);
        closeSocket();
    }

    /** Sends this side's close once; the relay's answering close ends the pipe, or the timeout does. */
    private void closeOutput(int code, String reason) {
        WebSocket current = webSocket;
        if (current == null || !closing.compareAndSet(false, true)) {
            return;
        }
        current.sendClose(code, reason).whenComplete((sentClose, error) -> {
            if (error != null) {
                current.abort();
                finish(1006, "close not sent: " + error.getMessage());
            }
        });
        CompletableFuture.delayedExecutor(Relay.CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (!closed.isDone()) {
                current.abort();
                finish(1006, "the relay did not answer the close");
            }
        });
    }

    private void finish(int code, String reason) {
        closeSocket();
        if (closed.complete(new Closed(code, reason, sent.get(), received.get()))) {
            writer.shutdown();
        }
    }

    private void closeSocket() {
        if (socketClosed.compareAndSet(false, true)) {
            try {
                socket.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "tunnel {0}: closing the socket failed: {1}", name, e.getMessage());
            }
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

    private final class Listener implements WebSocket.Listener {
        @Override
        public void onOpen(WebSocket opened) {
            webSocket = opened;
            opened.request(RECEIVE_WINDOW);
            daemon(TunnelPipe.this::readSocket, "outpost-tunnel-" + name + "-in").start();
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            try {
                writer.execute(() -> write(bytes));
            } catch (RejectedExecutionException ended) {
                LOG.log(System.Logger.Level.DEBUG, "tunnel {0} ended, {1} bytes dropped", name,
                        String.valueOf(bytes.length));
            }
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            // The protocol has no text frames. 1008: the JDK's client may not send 1003.
            fail(1008, "text frames are not used", new IllegalStateException("text frame"));
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            // Returning null lets the client answer a close the relay started with the same code.
            closing.set(true);
            finish(statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closing.set(true);
            finish(1006, String.valueOf(error.getMessage()));
        }
    }
}
