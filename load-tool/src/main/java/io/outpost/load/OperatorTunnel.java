package io.outpost.load;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.outpost.device.RemoteAccessClient;
import io.outpost.device.TunnelPipe;

/**
 * One tunnel opened the way an operator's {@code bin/outpost-tunnel} opens it, and timed: {@code POST .../tunnels}
 * ({@link RemoteAccessClient#openTunnel}), the operator's relay WebSocket with the far end of a loopback pair piped
 * through it ({@link RemoteAccessClient#connect}), then the first byte from the device's side (the {@link ByteSink}'s
 * banner) read at the near end. Each step's time counts from just before the POST. The tunnel's id is kept from the
 * POST on, so a tunnel that failed later can still be closed.
 */
final class OperatorTunnel {
    private final RemoteAccessClient client;
    private final String tenant;
    private final String device;
    private final int port;
    private final LoopbackPairs.Pair pair;
    private volatile String id;
    private volatile TunnelPipe pipe;
    private long postNanos = -1;
    private long connectNanos = -1;
    private long firstByteNanos = -1;

    OperatorTunnel(RemoteAccessClient client, String tenant, String device, int port, LoopbackPairs.Pair pair) {
        this.client = client;
        this.tenant = tenant;
        this.device = device;
        this.port = port;
        this.pair = pair;
    }

    /**
     * POST, WebSocket, first byte; throws on the first step that fails (a refusal, a relay that refuses the token, the
     * tunnel closing or nothing arriving within {@code timeout}).
     */
    void open(Duration maxDuration, Duration timeout) throws Exception {
        long start = System.nanoTime();
        RemoteAccessClient.Tunnel tunnel = client.openTunnel(tenant, device, port, maxDuration);
        id = tunnel.id();
        postNanos = System.nanoTime() - start;
        try {
            pipe = client.connect(tunnel, pair.far()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException(id + ": the operator's WebSocket failed: " + e.getCause(), e.getCause());
        }
        connectNanos = System.nanoTime() - start;
        pair.near().setSoTimeout((int) timeout.toMillis());
        int first;
        try {
            first = pair.near().getInputStream().read();
        } catch (SocketTimeoutException e) {
            throw new TimeoutException(id + ": no byte from the device's side within " + timeout.toSeconds() + " s");
        }
        firstByteNanos = System.nanoTime() - start;
        pair.near().setSoTimeout(0);
        if (first != ByteSink.BANNER) {
            TunnelPipe.Closed closed = pipe.closed().getNow(null);
            throw new IOException(id + ": " + (first < 0 ? "closed before the first byte" : "first byte " + first)
                    + (closed == null ? "" : ", " + closed.summary()));
        }
    }

    /** The tunnel's id once the POST answered 201, else null. */
    String id() {
        return id;
    }

    String device() {
        return device;
    }

    /** The tool's end of the connection piped through the tunnel. */
    LoopbackPairs.Pair pair() {
        return pair;
    }

    /** POST until its 201, in nanoseconds; -1 if it did not answer 201. */
    long postNanos() {
        return postNanos;
    }

    /** POST until the operator's WebSocket was open. */
    long connectNanos() {
        return connectNanos;
    }

    /** POST until the first byte from the device's side: the tunnel's set-up time. */
    long firstByteNanos() {
        return firstByteNanos;
    }

    /**
     * Ends the tunnel from the operator's side as an ssh client's exit does: the near end closes, the pipe sends its
     * WebSocket close (1000) and the relay closes the device's side. Completes with the pipe's close code (a tunnel
     * whose WebSocket never opened completes at once with null).
     */
    CompletableFuture<Integer> close() {
        try {
            pair.near().close();
        } catch (IOException e) {
            // Closing a loopback socket does not fail in a way that matters here; the pipe's close tells.
        }
        TunnelPipe current = pipe;
        if (current == null) {
            closeQuietly();
            return CompletableFuture.completedFuture(null);
        }
        return current.closed().thenApply(TunnelPipe.Closed::code);
    }

    /** Bytes the pipe sent on the WebSocket (the operator's side's count); 0 if it never opened. */
    long sent() {
        TunnelPipe current = pipe;
        return current == null ? 0 : current.sent();
    }

    private void closeQuietly() {
        try {
            pair.close();
        } catch (IOException e) {
            // Nothing left to do with a pair whose tunnel never opened.
        }
    }
}
