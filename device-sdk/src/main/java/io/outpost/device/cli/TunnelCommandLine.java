package io.outpost.device.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.outpost.device.DeviceException;
import io.outpost.device.RelayHandshakeException;
import io.outpost.device.RemoteAccessClient;
import io.outpost.device.TunnelCloseCode;
import io.outpost.device.TunnelPipe;
import io.outpost.device.TunnelRefusedException;

/**
 * {@code outpost-tunnel}: the operator's end of remote access. Listens on {@code 127.0.0.1:{--local}} and gives every
 * TCP connection accepted there its own tunnel to {@code --port} of one device: asks remote-access-service for it with
 * the operator's OIDC access token, opens the relay WebSocket the answer names with the one-time operator token, and
 * pipes the connection through it until either side closes. A refused tunnel (problem+json's title and detail) closes
 * that connection only; the listener carries on. One line per tunnel opened, refused and closed goes to standard
 * error; tokens are never printed.
 */
public final class TunnelCommandLine {
    static final String USAGE = """
            usage: outpost-tunnel --tenant T --device D --port 22 --local 2222 [--bind 127.0.0.1]
                                  [--api http://127.0.0.1:8087] [--token TOKEN] [--max-duration PT1H]
                                  [--tls CA.pem] [--relay wss://HOST:PORT] [--help]
              Listens on --bind:--local; each connection accepted there gets its own tunnel to --port on the
              device (POST {api}/api/v1/tenants/T/devices/D/tunnels), piped through the relay until either side
              closes. A refused tunnel closes that connection only.
              --token    an operator's OIDC access token; without it $OUTPOST_TOKEN (which keeps it out of the
                         process list)
              --api      remote-access-service's base URL (default http://127.0.0.1:8087)
              --max-duration  ISO-8601 duration of each tunnel, at most PT8H (the service's default: PT1H)
              --tls      trust this PEM CA for an https:// API and a wss:// relay
              --relay    reach the relay at this ws:// or wss:// address instead of the one the API names (e.g.
                         another relay node, or the relay's address as seen from the operator's network)
            example: outpost-tunnel --tenant acme --device scanner-7 --port 22 --local 2222 &
                     ssh -p 2222 root@127.0.0.1""";
    static final String TOKEN_VARIABLE = "OUTPOST_TOKEN";
    private static final Set<String> FLAGS = Set.of("help");
    /** How long Ctrl-C waits for the relay to answer the open tunnels' closes. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final Settings settings;
    private final RemoteAccessClient client;
    private final PrintStream log;
    private final Set<TunnelPipe> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "outpost-tunnel-connection");
        thread.setDaemon(true);
        return thread;
    });

    TunnelCommandLine(Settings settings, PrintStream log) {
        this.settings = settings;
        this.client = new RemoteAccessClient(settings.api(), settings.token(), settings.ca());
        this.log = log;
    }

    public static void main(String[] args) throws IOException {
        Settings settings;
        try {
            Options options = new Options(args, FLAGS);
            if (options.flag("help")) {
                System.out.println(USAGE);
                return;
            }
            settings = Settings.from(options, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        TunnelCommandLine tunnels = new TunnelCommandLine(settings, System.err);
        Runtime.getRuntime().addShutdownHook(new Thread(tunnels::closeAll, "outpost-tunnel-close"));
        try (ServerSocket server = tunnels.bind()) {
            tunnels.serve(server);
        }
    }

    /** The listening socket, on {@code --bind}:{@code --local}. */
    ServerSocket bind() throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(settings.bind(), settings.local()));
        log.printf("listening on %s:%d: each connection a tunnel to %s/%s port %d (%s)%n",
                settings.bind().getHostAddress(), server.getLocalPort(), settings.tenant(), settings.device(),
                settings.port(), settings.api());
        return server;
    }

    /** Accepts until the server socket is closed; each connection is tunnelled on its own thread. */
    void serve(ServerSocket server) {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    log.printf("accept failed: %s%n", e.getMessage());
                }
                continue;
            }
            connections.execute(() -> tunnel(socket));
        }
    }

    /** One connection's tunnel: opened, piped, and a line when it closes; on any failure the connection is closed. */
    void tunnel(Socket socket) {
        String from = socket.getRemoteSocketAddress().toString().replaceFirst("^[^/]*/", "");
        RemoteAccessClient.Tunnel tunnel;
        try {
            RemoteAccessClient.Tunnel opened = client.openTunnel(settings.tenant(), settings.device(),
                    settings.port(), settings.maxDuration());
            tunnel = settings.relay() == null ? opened : opened.via(settings.relay());
        } catch (TunnelRefusedException e) {
            log.printf("tunnel for %s refused: %s%n", from, e.getMessage());
            closeQuietly(socket);
            return;
        } catch (IOException | DeviceException e) {
            log.printf("no tunnel for %s: %s (%s)%n", from, e.getMessage() == null ? e : e.getMessage(),
                    settings.api());
            closeQuietly(socket);
            return;
        } catch (InterruptedException e) {
            closeQuietly(socket);
            Thread.currentThread().interrupt();
            return;
        }
        TunnelPipe pipe;
        try {
            pipe = client.connect(tunnel, socket).get();
        } catch (ExecutionException e) {
            log.printf("tunnel %s failed: %s%n", tunnel.id(), relayFailure(e.getCause()));
            return;
        } catch (InterruptedException e) {
            closeQuietly(socket);
            Thread.currentThread().interrupt();
            return;
        }
        open.add(pipe);
        log.printf("tunnel %s opened for %s to %s/%s port %d%s%n", tunnel.id(), from, settings.tenant(),
                settings.device(), settings.port(), tunnel.closesBy() == null ? "" : ", closes by " + tunnel.closesBy());
        pipe.closed().thenAccept(closed -> {
            open.remove(pipe);
            log.printf("tunnel %s closed %s%n", tunnel.id(), closed.summary());
        });
    }

    /** On exit (Ctrl-C): closes the open tunnels with 1000 and waits up to 2 s for the relay's answers. */
    void closeAll() {
        List<TunnelPipe> pipes = List.copyOf(open);
        pipes.forEach(pipe -> pipe.close(TunnelCloseCode.NORMAL.code(), "the operator's tunnel client stopped"));
        try {
            CompletableFuture.allOf(pipes.stream().map(TunnelPipe::closed).toArray(CompletableFuture[]::new))
                    .get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            pipes.forEach(TunnelPipe::abort);
        }
    }

    private static String relayFailure(Throwable error) {
        if (error instanceof RelayHandshakeException handshake) {
            return "the relay refused the WebSocket (HTTP " + handshake.statusCode() + ")";
        }
        return "no connection to the relay: " + error;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do: the connection is gone either way
        }
    }

    /** The command line, checked; {@link #toString()} leaves the token out. */
    record Settings(URI api, String token, String tenant, String device, int port, InetAddress bind, int local,
            Duration maxDuration, Path ca, URI relay) {

        static Settings parse(String[] args, Map<String, String> environment) {
            return from(new Options(args, FLAGS), environment);
        }

        static Settings from(Options options, Map<String, String> environment) {
            URI api = api(options.optional("api", "http://127.0.0.1:8087"));
            String token = options.optional("token", environment.get(TOKEN_VARIABLE));
            String tenant = options.required("tenant");
            String device = options.required("device");
            int port = Options.number("port", options.required("port"), 1, 65_535);
            int local = Options.number("local", options.required("local"), 0, 65_535);
            InetAddress bind = address(options.optional("bind", "127.0.0.1"));
            Duration maxDuration = duration(options.optional("max-duration", null));
            String ca = options.optional("tls", null);
            URI relay = relay(options.optional("relay", null));
            options.requireAllUsed();
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("--token or " + TOKEN_VARIABLE + " is required");
            }
            return new Settings(api, token.strip(), tenant, device, port, bind, local, maxDuration,
                    ca == null ? null : Path.of(ca), relay);
        }

        private static URI api(String value) {
            try {
                URI api = URI.create(value);
                if ("http".equalsIgnoreCase(api.getScheme()) || "https".equalsIgnoreCase(api.getScheme())) {
                    return api;
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            throw new IllegalArgumentException("--api must be an http:// or https:// URL, was " + value);
        }

        private static URI relay(String value) {
            if (value == null) {
                return null;
            }
            try {
                URI relay = URI.create(value);
                if (("ws".equalsIgnoreCase(relay.getScheme()) || "wss".equalsIgnoreCase(relay.getScheme()))
                        && relay.getHost() != null) {
                    return relay;
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            throw new IllegalArgumentException("--relay must be a ws:// or wss:// URL, was " + value);
        }

        private static InetAddress address(String value) {
            try {
                return InetAddress.getByName(value);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("--bind: unknown address " + value);
            }
        }

        private static Duration duration(String value) {
            if (value == null) {
                return null;
            }
            try {
                Duration duration = Duration.parse(value);
                if (!duration.isNegative() && !duration.isZero()) {
                    return duration;
                }
            } catch (DateTimeParseException e) {
                // reported below
            }
            throw new IllegalArgumentException("--max-duration must be a positive ISO-8601 duration such as PT1H, was "
                    + value);
        }

        @Override
        public String toString() {
            return "Settings[api=" + api + ", tenant=" + tenant + ", device=" + device + ", port=" + port + ", bind="
                    + bind + ", local=" + local + ", maxDuration=" + maxDuration + ", ca=" + ca + ", relay=" + relay + "]";
        }
    }
}
