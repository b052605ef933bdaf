package io.outpost.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import io.outpost.device.OutpostDevice;
import io.outpost.device.RemoteAccessClient;

/**
 * Remote-access tunnels through the real platform (docs/remote-access.md): devices on the device SDK with
 * {@code allowRemoteAccess} to a {@link ByteSink} that stands for their service (sshd, say), operators on the SDK's
 * {@link RemoteAccessClient} as {@code bin/outpost-tunnel} uses it. Always against the platform; the baselines are
 * plain loopback TCP connections to the same sink, in the same run.
 * <ol>
 * <li>The fleet's switch on for the sink's port (30 min); {@code --devices} devices connect to the bridge; each is
 * known to remote-access-service (its effective policy on) and has had one tunnel set up and closed; then
 * {@code --tunnels} tunnels at once, set up and closed (warm-up, not measured: the device's session reached the
 * service's mailbox, and the paths a burst of set-ups takes are compiled, as on a relay that has been running).</li>
 * <li>Throughput, on an idle machine: {@code --megabytes} written in {@code --chunk-kib} writes over a plain loopback
 * connection to the sink (the baseline), then through one tunnel to the first device, each after
 * {@code --warm-up-megabytes} unmeasured on the same connection; timed from the first write until the sink has read
 * the last byte.</li>
 * <li>Set-up, on an idle machine: {@code --tunnels} plain loopback connections to the sink at once, each timed from
 * its connect to the sink's first byte (the baseline); then {@code --tunnels} tunnels at once, spread over the
 * devices, each timed from just before its {@code POST} to the sink's first byte at the operator's end
 * ({@link OperatorTunnel}); all are held open together and the service is asked how many it shows OPEN.</li>
 * <li>Clean-up, also after a failure: every tunnel is closed from the operator's side and must show CLOSED within
 * 15 s (else it is closed with {@code DELETE} and counted as a failure), the fleet's switch is put off and removed,
 * the devices disconnect.</li>
 * </ol>
 * Prints one JSON line; progress on standard error. Exit code 1 if anything failed, 2 for a bad command line.
 */
public final class TunnelLoad {
    private static final Duration CONNECT_PATIENCE = Duration.ofSeconds(60);
    private static final Duration SWITCH_LENGTH = Duration.ofMinutes(30);
    private static final Duration TUNNEL_LENGTH = Duration.ofMinutes(15);
    private static final Duration THROUGHPUT_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration CLOSE_PATIENCE = Duration.ofSeconds(15);
    private static final int WARM_UP_ATTEMPTS = 3;
    private static final int ERRORS_KEPT = 20;
    private static final String REASON = "tunnel benchmark (bench/tunnel-bench.sh)";
    /** Held so its level sticks: the SDK logs every tunnel opened and closed at INFO, which would bury the progress. */
    private static final Logger SDK_LOG = Logger.getLogger("io.outpost.device");

    private final TunnelOptions options;
    private final ByteSink sink;
    private final LoopbackPairs pairs;
    private final RestRemoteAccess rest;
    private final RemoteAccessClient operator;
    private final Throughput throughput;
    private final Progress console = new Progress();
    private final List<OutpostDevice> devices = new ArrayList<>();
    /** Every tunnel the tool asked for, so that clean-up closes them all. */
    private final List<OperatorTunnel> opened = Collections.synchronizedList(new ArrayList<>());
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final LongAdder failed = new LongAdder();
    private final Latencies setup;
    private final Latencies post;
    private final Latencies operatorOpen;
    private final Latencies tcpSetup;
    private double warmUpSeconds = Double.NaN;
    private double loopbackSeconds = Double.NaN;
    private double tunnelSeconds = Double.NaN;
    private double setupAllSeconds = Double.NaN;
    private int setupSucceeded;
    private int openAtOnce = -1;
    private OperatorTunnel bulk;
    private long bulkBytesSent;
    private long bulkBytesToDevice = -1;
    private final Map<String, Integer> closeCodes = new TreeMap<>();
    private int notClosed;

    private TunnelLoad(TunnelOptions options) throws IOException {
        this.options = options;
        this.sink = new ByteSink();
        this.pairs = new LoopbackPairs();
        this.rest = new RestRemoteAccess(options.api(), options.tenant(), options.token());
        this.operator = new RemoteAccessClient(URI.create(options.api()), options.token(), HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build());
        this.throughput = new Throughput(options.chunkBytes());
        this.setup = new Latencies(options.tunnels());
        this.post = new Latencies(options.tunnels());
        this.operatorOpen = new Latencies(options.tunnels());
        this.tcpSetup = new Latencies(options.tunnels());
    }

    public static void main(String[] args) throws Exception {
        TunnelOptions options;
        try {
            options = TunnelOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(TunnelOptions.USAGE);
            System.exit(2);
            return;
        }
        SDK_LOG.setLevel(Level.WARNING);
        System.exit(new TunnelLoad(options).run());
    }

    private int run() throws IOException {
        try {
            switchOn();
            connectDevices();
            awaitPolicies();
            warmUp();
            warmUpAtOnce();
            log("waiting for an idle machine: %.1f s", MachineIdle.await(120));
            measureThroughput();
            log("waiting for an idle machine: %.1f s", MachineIdle.await(120));
            measureSetups();
        } catch (Exception e) {
            fail("the run stopped: " + e);
        } finally {
            cleanUp();
            sink.close();
            pairs.close();
        }
        System.out.println(report());
        return failed.sum() == 0 ? 0 : 1;
    }

    private void switchOn() throws IOException, InterruptedException {
        RestRemoteAccess.Answer on = rest.fleetOn(List.of(sink.port()), Instant.now().plus(SWITCH_LENGTH), REASON);
        if (!on.ok()) {
            throw new IllegalStateException("switching the fleet on answered " + on);
        }
        log("fleet switch on for port %d (the sink) until %s", sink.port(), Instant.now().plus(SWITCH_LENGTH));
    }

    /** Connects every device, retrying while the bridge has not yet learnt of the imported devices. */
    private void connectDevices() throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + CONNECT_PATIENCE.toNanos();
        for (int i = 0; i < options.devices(); i++) {
            OutpostDevice device = OutpostDevice.builder().endpoint(options.host(), options.port())
                    .credentials(options.tenant(), options.device(i), options.secret())
                    .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                    .allowRemoteAccess(sink.port()).build();
            devices.add(device);
            while (true) {
                try {
                    device.connect().get(10, TimeUnit.SECONDS);
                    break;
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(options.device(i) + " could not connect within "
                                + CONNECT_PATIENCE.toSeconds() + " s: " + e);
                    }
                    Thread.sleep(500);
                }
            }
        }
        log("%d devices connected in %.2f s", devices.size(), (System.nanoTime() - start) / 1e9);
    }

    /** Until remote-access-service knows every device and its effective policy is on. */
    private void awaitPolicies() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + CONNECT_PATIENCE.toNanos();
        for (int i = 0; i < options.devices(); i++) {
            RestRemoteAccess.Answer policy = rest.effectivePolicy(options.device(i));
            while (policy.status() != 200 || !policy.body().contains("\"enabled\":true")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(options.device(i) + ": remote access not on within "
                            + CONNECT_PATIENCE.toSeconds() + " s: " + policy);
                }
                Thread.sleep(250);
                policy = rest.effectivePolicy(options.device(i));
            }
        }
        log("remote-access-service has every device's policy on");
    }

    /** One tunnel per device, set up and closed, not measured; a device without one after 3 tries is a failure. */
    private void warmUp() throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < options.devices(); i++) {
            for (int attempt = 1; attempt <= WARM_UP_ATTEMPTS; attempt++) {
                OperatorTunnel tunnel = tunnel(options.device(i));
                try {
                    tunnel.open(TUNNEL_LENGTH, options.timeout());
                    tunnel.close().get(CLOSE_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    break;
                } catch (Exception e) {
                    tunnel.close();
                    log("warm-up tunnel to %s, attempt %d: %s", options.device(i), attempt, e);
                    if (attempt == WARM_UP_ATTEMPTS) {
                        fail("warm-up: no tunnel to " + options.device(i) + " in " + WARM_UP_ATTEMPTS + " tries: " + e);
                    }
                }
            }
        }
        warmUpSeconds = (System.nanoTime() - start) / 1e9;
        log("warm-up: a tunnel to each of %d devices set up and closed in %.2f s", options.devices(), warmUpSeconds);
    }

    /** {@code --tunnels} tunnels at once, as measured later, set up and closed; not measured. */
    private void warmUpAtOnce() throws Exception {
        List<OperatorTunnel> tunnels = newTunnels();
        long start = System.nanoTime();
        int succeeded = atOnce("warm-up set-ups", options.tunnels(), i -> () -> {
            tunnels.get(i).open(TUNNEL_LENGTH, options.timeout());
            return null;
        });
        List<CompletableFuture<Integer>> closes = tunnels.stream().map(OperatorTunnel::close).toList();
        CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new)).get(CLOSE_PATIENCE.toMillis(),
                TimeUnit.MILLISECONDS);
        log("warm-up: %d of %d tunnels at once set up and closed in %.2f s", succeeded, options.tunnels(),
                (System.nanoTime() - start) / 1e9);
    }

    private void measureThroughput() throws Exception {
        try (Socket direct = new Socket(InetAddress.getLoopbackAddress(), sink.port())) {
            if (direct.getInputStream().read() != ByteSink.BANNER) {
                throw new IOException("the sink did not greet a plain connection");
            }
            throughput.send(direct, sink, options.warmUpBytes(), THROUGHPUT_TIMEOUT);
            loopbackSeconds = throughput.send(direct, sink, options.bytes(), THROUGHPUT_TIMEOUT);
        }
        log("loopback: %d MB in %.3f s, %.1f MB/s", options.megabytes(), loopbackSeconds,
                Throughput.megabytesPerSecond(options.bytes(), loopbackSeconds));
        bulk = tunnel(options.device(0));
        try {
            bulk.open(TUNNEL_LENGTH, options.timeout());
            throughput.send(bulk.pair().near(), sink, options.warmUpBytes(), THROUGHPUT_TIMEOUT);
            tunnelSeconds = throughput.send(bulk.pair().near(), sink, options.bytes(), THROUGHPUT_TIMEOUT);
            log("tunnel %s: %d MB in %.3f s, %.1f MB/s", bulk.id(), options.megabytes(), tunnelSeconds,
                    Throughput.megabytesPerSecond(options.bytes(), tunnelSeconds));
        } catch (Exception e) {
            fail("throughput through tunnel " + bulk.id() + ": " + e);
        } finally {
            bulkBytesSent = bulk.sent();
            bulk.close();
        }
    }

    private void measureSetups() throws Exception {
        List<Socket> plain = Collections.synchronizedList(new ArrayList<>());
        try {
            atOnce("plain connections", options.tunnels(), i -> () -> {
                long start = System.nanoTime();
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), sink.port());
                plain.add(socket);
                if (socket.getInputStream().read() != ByteSink.BANNER) {
                    throw new IOException("the sink did not greet a plain connection");
                }
                tcpSetup.record(System.nanoTime() - start);
                return null;
            });
        } finally {
            for (Socket socket : plain) {
                socket.close();
            }
        }
        log("plain loopback connect -> first byte, %d at once: p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                options.tunnels(), tcpSetup.millis(0.5), tcpSetup.millis(0.99), tcpSetup.millis(1.0));
        List<OperatorTunnel> tunnels = newTunnels();
        long start = System.nanoTime();
        setupSucceeded = atOnce("tunnel set-ups", options.tunnels(), i -> () -> {
            OperatorTunnel tunnel = tunnels.get(i);
            tunnel.open(TUNNEL_LENGTH, options.timeout());
            setup.record(tunnel.firstByteNanos());
            post.record(tunnel.postNanos());
            operatorOpen.record(tunnel.connectNanos());
            return null;
        });
        setupAllSeconds = (System.nanoTime() - start) / 1e9;
        openAtOnce = countOpen(tunnels);
        log("%d of %d tunnels set up at once (%d OPEN at the service), POST -> first byte p50 %.1f ms, p99 %.1f ms,"
                + " max %.1f ms; POST -> 201 p99 %.1f ms", setupSucceeded, options.tunnels(), openAtOnce,
                setup.millis(0.5), setup.millis(0.99), setup.millis(1.0), post.millis(0.99));
    }

    /**
     * Runs {@code count} tasks on as many threads, released together once all are ready; returns how many succeeded
     * (each failure is counted and kept).
     */
    private int atOnce(String what, int count, IntFunction<Callable<Void>> task)
            throws InterruptedException {
        ExecutorService callers = Executors.newFixedThreadPool(count, runnable -> {
            Thread thread = new Thread(runnable, "tunnel-caller");
            thread.setDaemon(true);
            return thread;
        });
        CountDownLatch ready = new CountDownLatch(count);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Void>> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Callable<Void> work = task.apply(i);
            results.add(callers.submit(() -> {
                ready.countDown();
                go.await();
                return work.call();
            }));
        }
        ready.await();
        go.countDown();
        int succeeded = 0;
        long bound = 3 * options.timeout().toMillis() + 30_000;
        for (Future<Void> result : results) {
            try {
                result.get(bound, TimeUnit.MILLISECONDS);
                succeeded++;
            } catch (ExecutionException e) {
                fail(what + ": " + e.getCause());
            } catch (TimeoutException e) {
                fail(what + ": not done within " + bound / 1000 + " s");
            }
        }
        callers.shutdownNow();
        return succeeded;
    }

    /** How many of the tunnels the service shows OPEN now. */
    private int countOpen(List<OperatorTunnel> tunnels) throws IOException, InterruptedException {
        int open = 0;
        for (OperatorTunnel tunnel : tunnels) {
            RestRemoteAccess.TunnelState state = tunnel.id() == null ? null : rest.tunnel(tunnel.id());
            if (state != null && "OPEN".equals(state.state())) {
                open++;
            }
        }
        return open;
    }

    /** {@code --tunnels} tunnels not yet opened, spread over the devices. */
    private List<OperatorTunnel> newTunnels() throws IOException {
        List<OperatorTunnel> tunnels = new ArrayList<>();
        for (int i = 0; i < options.tunnels(); i++) {
            tunnels.add(tunnel(options.device(i % options.devices())));
        }
        return tunnels;
    }

    /** A tunnel to the sink's port of the device, with a new loopback pair; remembered for clean-up. */
    private OperatorTunnel tunnel(String device) throws IOException {
        OperatorTunnel tunnel = new OperatorTunnel(operator, options.tenant(), device, sink.port(), pairs.open());
        opened.add(tunnel);
        return tunnel;
    }

    /**
     * Closes every tunnel from the operator's side and checks that the service shows it CLOSED within 15 s (else
     * {@code DELETE}, and a failure); then the fleet's switch off and removed, the devices disconnected.
     */
    private void cleanUp() {
        List<OperatorTunnel> all = List.copyOf(opened);
        List<CompletableFuture<Integer>> closes = all.stream().map(OperatorTunnel::close).toList();
        try {
            CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new))
                    .get(CLOSE_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log("not every tunnel's operator side closed within %d s", CLOSE_PATIENCE.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (CompletableFuture<Integer> close : closes) {
            Integer code = close.isDone() && !close.isCompletedExceptionally() ? close.join() : null;
            closeCodes.merge(code == null ? "none" : code.toString(), 1, Integer::sum);
        }
        try {
            awaitClosedAtTheService(all);
        } catch (IOException | InterruptedException e) {
            fail("checking that the tunnels closed: " + e);
        }
        try {
            RestRemoteAccess.Answer off = rest.fleetOff(REASON + ": done");
            RestRemoteAccess.Answer removed = rest.removeFleetSwitch();
            if (!off.ok() || !removed.ok()) {
                fail("switching the fleet off answered " + off + ", removing the switch " + removed);
            }
        } catch (IOException | InterruptedException e) {
            fail("switching the fleet off: " + e);
        }
        devices.forEach(OutpostDevice::close);
        log("clean-up: %d tunnels closed (close codes %s), %d not CLOSED at the service in time; fleet switch off"
                + " and removed; devices disconnected", all.size() - notClosed, closeCodes, notClosed);
    }

    private void awaitClosedAtTheService(List<OperatorTunnel> all) throws IOException, InterruptedException {
        List<String> waiting = new ArrayList<>(all.stream().map(OperatorTunnel::id).filter(id -> id != null)
                .toList());
        long deadline = System.nanoTime() + CLOSE_PATIENCE.toNanos();
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            List<String> still = new ArrayList<>();
            for (String id : waiting) {
                RestRemoteAccess.TunnelState state = rest.tunnel(id);
                if (state == null || !state.closed()) {
                    still.add(id);
                } else if (bulk != null && id.equals(bulk.id())) {
                    bulkBytesToDevice = state.bytesToDevice() == null ? -1 : state.bytesToDevice();
                }
            }
            waiting = still;
            if (!waiting.isEmpty()) {
                Thread.sleep(250);
            }
        }
        notClosed = waiting.size();
        for (String id : waiting) {
            fail("tunnel " + id + " is " + rest.tunnel(id) + " " + CLOSE_PATIENCE.toSeconds()
                    + " s after its operator side closed; DELETE answered " + rest.closeTunnel(id).status());
        }
    }

    private String report() {
        double loopback = Throughput.megabytesPerSecond(options.bytes(), loopbackSeconds);
        double tunnel = Throughput.megabytesPerSecond(options.bytes(), tunnelSeconds);
        return "{\"devices\":" + options.devices() + ",\"tunnels\":" + options.tunnels() + ",\"megabytes\":"
                + options.megabytes() + ",\"chunkBytes\":" + options.chunkBytes() + ",\"warmUpSeconds\":"
                + Json.number(warmUpSeconds) + ",\"loopbackSeconds\":" + Json.number(loopbackSeconds)
                + ",\"loopbackMBps\":" + Json.number(loopback) + ",\"tunnelSeconds\":" + Json.number(tunnelSeconds)
                + ",\"tunnelMBps\":" + Json.number(tunnel) + ",\"throughputRatio\":" + Json.number(tunnel / loopback)
                + ",\"throughputTunnel\":" + Json.string(bulk == null ? null : bulk.id())
                + ",\"throughputBytesExpected\":" + (options.warmUpBytes() + options.bytes())
                + ",\"throughputBytesSent\":" + bulkBytesSent + ",\"throughputBytesToDevice\":"
                + (bulkBytesToDevice < 0 ? "null" : Long.toString(bulkBytesToDevice))
                + ",\"setupSucceeded\":" + setupSucceeded + ",\"setupOpenAtOnce\":" + openAtOnce
                + ",\"setupAllSeconds\":" + Json.number(setupAllSeconds) + ",\"setupP50Ms\":" + ms(setup, 0.5)
                + ",\"setupP99Ms\":" + ms(setup, 0.99) + ",\"setupMaxMs\":" + ms(setup, 1.0) + ",\"postP50Ms\":"
                + ms(post, 0.5) + ",\"postP99Ms\":" + ms(post, 0.99) + ",\"postMaxMs\":" + ms(post, 1.0)
                + ",\"operatorOpenP50Ms\":" + ms(operatorOpen, 0.5) + ",\"operatorOpenP99Ms\":"
                + ms(operatorOpen, 0.99) + ",\"tcpSetupP50Ms\":" + ms(tcpSetup, 0.5) + ",\"tcpSetupP99Ms\":"
                + ms(tcpSetup, 0.99) + ",\"tcpSetupMaxMs\":" + ms(tcpSetup, 1.0) + ",\"sinkConnections\":"
                + sink.accepted() + ",\"closeCodes\":" + closeCodesJson() + ",\"notClosed\":" + notClosed
                + ",\"failed\":" + failed.sum() + ",\"errors\":" + errorsJson() + "}";
    }

    private static String ms(Latencies latencies, double percentile) {
        return Json.number(latencies.millis(percentile));
    }

    private String closeCodesJson() {
        StringBuilder json = new StringBuilder("{");
        closeCodes.forEach((code, count) -> json.append(json.length() > 1 ? "," : "").append(Json.string(code))
                .append(':').append(count));
        return json.append('}').toString();
    }

    private String errorsJson() {
        synchronized (errors) {
            return errors.stream().map(Json::string).collect(Collectors.joining(",", "[", "]"));
        }
    }

    private void fail(String message) {
        failed.increment();
        if (errors.size() < ERRORS_KEPT) {
            errors.add(message);
        }
        log("FAILED: %s", message);
    }

    private void log(String format, Object... arguments) {
        console.log(format, arguments);
    }
}
