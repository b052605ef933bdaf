package io.outpost.load;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code outpost-sim}: a fleet of simulated devices sending telemetry at a rate and taking notifications, with
 * reconnect churn, a live progress line on standard error and a final report (JSON on standard output, and in
 * {@code --report}).
 */
public final class FleetSimulator {
    private static final long CONNECT_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final SimOptions options;
    private final List<SimulatedDevice> fleet = new ArrayList<>();
    private final byte[] payload;
    private final Latencies latencies = new Latencies(10_000_000);
    private final LongAdder sent = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final NotificationTally notifications = new NotificationTally();
    private long previousAcknowledged;

    private FleetSimulator(SimOptions options) {
        this.options = options;
        this.payload = new byte[options.payloadBytes()];
        ThreadLocalRandom.current().nextBytes(payload);
    }

    public static void main(String[] args) throws Exception {
        try {
            System.exit(new FleetSimulator(SimOptions.parse(args)).run());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(SimOptions.USAGE);
            System.exit(2);
        }
    }

    private int run() throws Exception {
        List<Identity> identities = options.devicesFile() != null ? Identity.read(options.devicesFile())
                : Identity.generated(options.devicePrefix(), options.devices(), options.secret());
        if (options.registry() != null) {
            System.err.printf("importing %d devices into tenant %s%n", identities.size(), options.tenant());
            Provisioning.importDevices(options.registry(), options.token(), options.tenant(), identities);
        }
        for (int i = 0; i < identities.size(); i++) {
            List<String> sources = options.sourceAddresses();
            fleet.add(new SimulatedDevice(identities.get(i), options.tenant(), options.host(), options.port(),
                    sources.isEmpty() ? null : sources.get(i % sources.size()), options.notifications(),
                    notifications));
        }
        long connectStart = System.nanoTime();
        int connected = connectAll();
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        System.err.printf(Locale.ROOT, "%d of %d devices connected in %.2f s%n", connected, fleet.size(),
                connectSeconds);

        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        startTelemetry(timer);
        startChurn(timer);
        long start = System.nanoTime();
        long end = start + options.duration().toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(1000);
            progress(start);
        }
        timer.shutdownNow();
        double seconds = (System.nanoTime() - start) / 1e9;
        CompletableFuture.allOf(fleet.stream().map(SimulatedDevice::disconnect).toArray(CompletableFuture[]::new))
                .join();
        System.err.println();
        report(connected, connectSeconds, seconds);
        return errors.sum() == 0 && connected == fleet.size() ? 0 : 1;
    }

    /** Connects every device, retrying refusals for a minute (the bridge learns of imported devices over Kafka). */
    private int connectAll() throws InterruptedException {
        Semaphore inFlight = new Semaphore(options.connectConcurrency());
        LongAdder connected = new LongAdder();
        long deadline = System.nanoTime() + CONNECT_PATIENCE_NANOS;
        List<CompletableFuture<Void>> connects = new ArrayList<>();
        for (SimulatedDevice device : fleet) {
            inFlight.acquire();
            connects.add(connectWithRetry(device, deadline).whenComplete((ok, error) -> {
                inFlight.release();
                if (error == null) {
                    connected.increment();
                } else {
                    fail(error);
                }
            }));
        }
        CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).exceptionally(error -> null).join();
        return connected.intValue();
    }

    private static CompletableFuture<Void> connectWithRetry(SimulatedDevice device, long deadline) {
        return device.connect().exceptionallyCompose(error -> {
            if (System.nanoTime() > deadline) {
                return CompletableFuture.failedFuture(error);
            }
            return CompletableFuture.supplyAsync(() -> null,
                    CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> connectWithRetry(device, deadline));
        });
    }

    private void startTelemetry(ScheduledExecutorService timer) {
        if (options.ratePerDevice() <= 0) {
            return;
        }
        long period = (long) (1e9 / options.ratePerDevice());
        for (SimulatedDevice device : fleet) {
            timer.scheduleAtFixedRate(() -> publish(device), ThreadLocalRandom.current().nextLong(period), period,
                    TimeUnit.NANOSECONDS);
        }
    }

    private void publish(SimulatedDevice device) {
        if (!device.connected()) {
            return;
        }
        long begin = System.nanoTime();
        sent.increment();
        device.publish(payload, options.qos()).whenComplete((ok, error) -> {
            if (error != null) {
                fail(error);
                return;
            }
            acknowledged.increment();
            if (options.qos() == 1) {
                latencies.record(System.nanoTime() - begin);
            }
        });
    }

    private void startChurn(ScheduledExecutorService timer) {
        if (options.churnPerSecond() <= 0) {
            return;
        }
        timer.scheduleAtFixedRate(() -> {
            SimulatedDevice device = fleet.get(ThreadLocalRandom.current().nextInt(fleet.size()));
            device.disconnect().thenCompose(ignored -> device.connect()).whenComplete((ok, error) -> {
                if (error != null) {
                    fail(error);
                } else {
                    reconnects.increment();
                }
            });
        }, 0, (long) (1e9 / options.churnPerSecond()), TimeUnit.NANOSECONDS);
    }

    private void fail(Throwable error) {
        errors.increment();
        lastError.set(String.valueOf(error.getMessage()));
    }

    private void progress(long start) {
        long now = acknowledged.sum();
        long connected = fleet.stream().filter(SimulatedDevice::connected).count();
        String line = String.format(Locale.ROOT, "%5.0f s  connected %d/%d  msg/s %d  errors %d  reconnects %d%s",
                (System.nanoTime() - start) / 1e9, connected, fleet.size(), now - previousAcknowledged, errors.sum(),
                reconnects.sum(),
                options.notifications() == null ? "" : "  notifications " + notifications.received());
        previousAcknowledged = now;
        System.err.print(System.console() != null ? "\r" + line : line + "\n");
    }

    private void report(int connected, double connectSeconds, double seconds) throws IOException {
        String json = String.format(Locale.ROOT, "{\"devices\":%d,\"connected\":%d,\"connectSeconds\":%.2f,"
                + "\"seconds\":%.1f,\"qos\":%d,\"payloadBytes\":%d,\"sent\":%d,\"acknowledged\":%d,"
                + "\"messagesPerSecond\":%.0f,\"pubackP50Ms\":%.2f,\"pubackP99Ms\":%.2f,\"pubackP999Ms\":%.2f,"
                + "\"reconnects\":%d,\"errors\":%d,\"lastError\":%s,\"notifications\":%s}", fleet.size(), connected,
                connectSeconds, seconds, options.qos(), payload.length, sent.sum(), acknowledged.sum(),
                acknowledged.sum() / seconds, latencies.millis(0.50), latencies.millis(0.99), latencies.millis(0.999),
                reconnects.sum(), errors.sum(), lastError.get() == null ? "null"
                        : "\"" + lastError.get().replace("\\", "\\\\").replace("\"", "\\\"") + "\"",
                options.notifications() == null ? "null"
                        : notifications.json(fleet.stream().map(SimulatedDevice::notifications).toList()));
        System.out.println(json);
        if (options.report() != null) {
            Files.writeString(options.report(), json + "\n");
        }
    }
}
