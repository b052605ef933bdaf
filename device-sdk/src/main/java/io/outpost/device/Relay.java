package io.outpost.device;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * How a side connects to the remote-access relay (docs/remote-access.md, "The relay's WebSocket protocol"): a plain
 * WebSocket whose upgrade request carries the side's one-time token as {@code Authorization: Bearer}. The token is
 * never logged.
 */
final class Relay {
    /** The upgrade must be done well within the token's 30 s. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long a side that closed waits for the relay's answering close before it drops the connection. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private Relay() {
    }

    /** Opens the WebSocket; fails with {@code WebSocketHandshakeException} if the relay refuses the token (401). */
    static CompletableFuture<WebSocket> connect(HttpClient http, URI url, String token, WebSocket.Listener listener) {
        return http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .connectTimeout(CONNECT_TIMEOUT)
                .buildAsync(url, listener);
    }

    /**
     * Opens the WebSocket and closes it at once with {@code code} and {@code reason}, so the operator learns at once
     * why there is no tunnel; completes when the relay answered the close (or after {@link #CLOSE_TIMEOUT}).
     */
    static CompletableFuture<Void> refuse(HttpClient http, URI url, String token, int code, String reason) {
        CompletableFuture<Void> answered = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            // onOpen, onBinary, onPing: the defaults ask for one more message each, so what the operator sent is read
            // and dropped until the close arrives.
            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String closeReason) {
                answered.complete(null);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                answered.completeExceptionally(error);
            }
        };
        return connect(http, url, token, listener).thenCompose(webSocket -> webSocket.sendClose(code, reason)
                .thenCompose(sent -> answered.orTimeout(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .whenComplete((done, error) -> webSocket.abort()));
    }
}
