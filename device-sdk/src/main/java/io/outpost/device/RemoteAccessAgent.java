package io.outpost.device;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;

/**
 * The device's side of remote access (docs/remote-access.md, "The device's side"). For each tunnel request: ignored
 * once its {@code expiresAt} passed (the token is useless by then); refused with 4403 and the reason when the local
 * kill switch is on or the port is not among those allowed; refused with 4502 when nothing answers on
 * {@code 127.0.0.1:{port}}; otherwise the local connection is piped through the relay until either side closes. A
 * refusal still opens the WebSocket, to close it at once, so the operator learns why at once.
 * <p>
 * Requests arrive on the MQTT client's thread and are handled on the agent's own daemon threads, one per tunnel;
 * copies of a request (delivery is at least once) are dropped by tunnel id. Switching the kill switch on also closes
 * the open tunnels with 4403; {@link #close()} closes them with 1000.
 */
final class RemoteAccessAgent {
    static final String SWITCHED_OFF = "remote access is switched off on the device";
    private static final System.Logger LOG = System.getLogger(RemoteAccessAgent.class.getName());
    /** The port is on this host: it answers at once or not at all. */
    private static final Duration LOCAL_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** How long {@link #close()} waits for the relay to answer the open tunnels' closes before dropping them. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    private static final String SHUTTING_DOWN = "the device is shutting down";

    private final Set<Integer> ports;
    private final HttpClient http;
    private final Clock clock;
    private final RecentIds seen = new RecentIds(1_000);
    private final ExecutorService runner;
    private final Set<TunnelPipe> open = ConcurrentHashMap.newKeySet();
    private volatile boolean killSwitch;
    private volatile boolean closed;

    /**
     * @param ports the local ports an operator may reach, each 1-65535
     * @param ssl   trust for a {@code wss://} relay, or null for the JVM's default CAs
     */
    RemoteAccessAgent(String device, Set<Integer> ports, boolean killSwitch, SSLContext ssl, Clock clock) {
        this.ports = Set.copyOf(ports);
        this.killSwitch = killSwitch;
        this.clock = clock;
        HttpClient.Builder http = HttpClient.newBuilder();
        if (ssl != null) {
            http.sslContext(ssl);
        }
        this.http = http.build();
        this.runner = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "outpost-remote-access-" + device);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** What to do with a request. */
    record Decision(Action action, String reason) {
        enum Action { OPEN, REFUSE, IGNORE }
    }

    /** A tunnel request's payload, from the MQTT client's thread: handled on the agent's threads. */
    void receive(byte[] payload) {
        TunnelRequest request;
        try {
            request = TunnelRequest.parse(payload);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "tunnel request ignored, {0}", e.getMessage());
            return;
        }
        if (closed || !seen.firstTime(request.tunnel())) {
            return;
        }
        try {
            runner.execute(() -> handle(request));
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "device closed, tunnel {0} not handled", request.tunnel());
        }
    }

    /** Expired: ignore; kill switch on or port not allowed: refuse with the reason; else open. */
    Decision decide(TunnelRequest request, Instant now) {
        if (!now.isBefore(request.expiresAt())) {
            return new Decision(Decision.Action.IGNORE, "its token expired at " + request.expiresAt());
        }
        if (killSwitch) {
            return new Decision(Decision.Action.REFUSE, SWITCHED_OFF);
        }
        if (!ports.contains(request.port())) {
            return new Decision(Decision.Action.REFUSE, "port " + request.port() + " is not allowed on the device");
        }
        return new Decision(Decision.Action.OPEN, null);
    }

    /** On: every later request is refused and the open tunnels are closed with 4403; off: the ports decide again. */
    void killSwitch(boolean on) {
        killSwitch = on;
        if (on) {
            open.forEach(pipe -> pipe.close(TunnelCloseCode.REFUSED_BY_DEVICE.code(), SWITCHED_OFF));
        }
    }

    boolean killSwitch() {
        return killSwitch;
    }

    /** Tunnels whose pipe is open. */
    int openTunnels() {
        return open.size();
    }

    /** Closes the open tunnels with 1000, waiting up to 2 s for the relay's answers, and takes no more requests. */
    void close() {
        closed = true;
        runner.shutdown();
        List<TunnelPipe> pipes = List.copyOf(open);
        pipes.forEach(pipe -> pipe.close(TunnelCloseCode.NORMAL.code(), SHUTTING_DOWN));
        try {
            CompletableFuture.allOf(pipes.stream().map(TunnelPipe::closed).toArray(CompletableFuture[]::new))
                    .get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            pipes.forEach(TunnelPipe::abort);
        } catch (InterruptedException e) {
            pipes.forEach(TunnelPipe::abort);
            Thread.currentThread().interrupt();
        }
    }

    private void handle(TunnelRequest request) {
        Decision decision = decide(request, clock.instant());
        switch (decision.action()) {
            case IGNORE -> LOG.log(System.Logger.Level.INFO, "tunnel {0} to port {1} ignored: {2}", request.tunnel(),
                    String.valueOf(request.port()), decision.reason());
            case REFUSE -> refuse(request, TunnelCloseCode.REFUSED_BY_DEVICE, decision.reason());
            case OPEN -> open(request);
        }
    }

    private void open(TunnelRequest request) {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", request.port()), (int) LOCAL_CONNECT_TIMEOUT.toMillis());
        } catch (IOException e) {
            closeQuietly(socket);
            refuse(request, TunnelCloseCode.PORT_UNREACHABLE,
                    "port " + request.port() + " is not reachable on the device");
            return;
        }
        TunnelPipe pipe;
        try {
            pipe = TunnelPipe.open(http, request.url(), request.token(), socket, request.tunnel()).get();
        } catch (ExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "tunnel {0}: no connection to the relay: {1}", request.tunnel(),
                    describe(e.getCause()));
            return;
        } catch (InterruptedException e) {
            closeQuietly(socket);
            Thread.currentThread().interrupt();
            return;
        }
        open.add(pipe);
        LOG.log(System.Logger.Level.INFO, "tunnel {0} opened to port {1}", request.tunnel(),
                String.valueOf(request.port()));
        pipe.closed().whenComplete((ended, error) -> {
            open.remove(pipe);
            LOG.log(System.Logger.Level.INFO, "tunnel {0} closed {1}", request.tunnel(), ended.summary());
        });
        // The switch or close() may have come while the pipe was opening.
        if (closed) {
            pipe.close(TunnelCloseCode.NORMAL.code(), SHUTTING_DOWN);
        } else if (killSwitch) {
            pipe.close(TunnelCloseCode.REFUSED_BY_DEVICE.code(), SWITCHED_OFF);
        }
    }

    private void refuse(TunnelRequest request, TunnelCloseCode code, String reason) {
        LOG.log(System.Logger.Level.INFO, "tunnel {0} to port {1} refused: {2}", request.tunnel(),
                String.valueOf(request.port()), reason);
        try {
            Relay.refuse(http, request.url(), request.token(), code.code(), reason).join();
        } catch (CompletionException e) {
            LOG.log(System.Logger.Level.WARNING, "tunnel {0}: the refusal did not reach the relay: {1}",
                    request.tunnel(), describe(e.getCause()));
        }
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof RelayHandshakeException handshake) {
            return "the relay answered HTTP " + handshake.statusCode();
        }
        return String.valueOf(cause);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a socket failed: {0}", e.getMessage());
        }
    }
}
