package io.outpost.remoteaccess;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One side of a tunnel as any WebSocket client plays it (the JDK's): connects with its token, sends and collects binary
 * frames, and remembers how the relay closed it. An echoing side sends back everything it gets, as a device's service
 * would answer.
 */
final class WebSocketSide implements WebSocket.Listener {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final boolean echo;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private WebSocket socket;

    record Closed(int code, String reason) {
    }

    private WebSocketSide(boolean echo) {
        this.echo = echo;
    }

    static WebSocketSide connect(String url, String token) {
        return connect(url, token, false);
    }

    static WebSocketSide echoing(String url, String token) {
        return connect(url, token, true);
    }

    private static WebSocketSide connect(String url, String token, boolean echo) {
        WebSocketSide side = new WebSocketSide(echo);
        side.socket = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .connectTimeout(Duration.ofSeconds(5)).buildAsync(URI.create(url), side).join();
        return side;
    }

    /** The HTTP status the relay refused the upgrade with; fails if it accepted it. */
    static int refusal(String url, String token) {
        try {
            WebSocketSide side = connect(url, token, false);
            side.socket.abort();
            throw new AssertionError("the relay accepted " + url);
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException handshake) {
                return handshake.getResponse().statusCode();
            }
            throw e;
        }
    }

    void send(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    void close(int code, String reason) {
        socket.sendClose(code, reason).join();
    }

    synchronized byte[] received() {
        return received.toByteArray();
    }

    Closed closed(Duration within) throws Exception {
        return closed.get(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        synchronized (this) {
            received.writeBytes(bytes);
        }
        if (echo) {
            return webSocket.sendBinary(ByteBuffer.wrap(bytes), last).thenRun(() -> webSocket.request(1));
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(new Closed(1006, error.toString()));
    }
}
