package io.outpost.device;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

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

    /** Refusals block on the relay's answer: threads of their own, not the common pool (one thread on 2 cores). */
    private static final Executor REFUSALS = command -> {
        Thread thread = new Thread(command, "outpost-tunnel-refusal");
        thread.setDaemon(true);
        thread.start();
    };

    private Relay() {
    }

    /** Opens the WebSocket; {@link RelayHandshakeException} if the relay refuses the token (401). */
    static RelaySocket connect(HttpClient http, URI url, String token) throws IOException {
        return RelaySocket.connect(url, token, http.sslContext(), CONNECT_TIMEOUT);
    }

    /**
     * Opens the WebSocket and closes it at once with {@code code} and {@code reason}, so the operator learns at once
     * why there is no tunnel; completes when the relay answered the close (or after {@link #CLOSE_TIMEOUT}). What the
     * operator sent meanwhile is read and dropped.
     */
    static CompletableFuture<Void> refuse(HttpClient http, URI url, String token, int code, String reason) {
        return CompletableFuture.runAsync(() -> {
            try (RelaySocket relay = connect(http, url, token)) {
                relay.sendClose(code, reason);
                relay.answerWithin(CLOSE_TIMEOUT);
                byte[] dropped = new byte[8192];
                while (!(relay.read(dropped) instanceof RelaySocket.Incoming.Close)) {
                    // data and text before the relay's answer
                }
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }, REFUSALS);
    }
}
