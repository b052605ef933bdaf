package io.outpost.load;

import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongUnaryOperator;

import com.hivemq.client.mqtt.datatypes.MqttQos;

/**
 * Simulated devices against an MQTT endpoint (the bridge, or a plain broker as the baseline). Scenarios:
 * <ul>
 * <li>{@code throughput}: every device publishes QoS 1 with one message in flight, the next right after the PUBACK;
 * reports acknowledged messages per second and latency.</li>
 * <li>{@code paced}: every device publishes QoS 1 at {@code --rate} messages per second; reports publish-to-PUBACK
 * latency.</li>
 * <li>{@code burst}: every device publishes QoS 1 on common ticks, {@code --rate} times per second, all of them
 * within the tick's first 100 ms (as fleets with synchronised clocks that report "every minute on the minute" do);
 * reports publish-to-PUBACK latency.</li>
 * <li>{@code idle}: connects every device, reports the time, holds the connections for {@code --hold} seconds.</li>
 * </ul>
 * Prints one JSON line with the figures.
 */
public final class MqttLoad {
    /** How far apart the devices' clocks are: each publishes at its own fixed point of this window after a tick. */
    private static final long BURST_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private final LoadOptions options;
    private final Fleet fleet;
    private final byte[] payload;
    private final AtomicBoolean measuring = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Latencies latencies = new Latencies(5_000_000);

    private MqttLoad(LoadOptions options) {
        this.options = options;
        this.fleet = new Fleet(options);
        this.payload = new byte[options.payloadBytes()];
        ThreadLocalRandom.current().nextBytes(payload);
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options = LoadOptions.parse(args);
        System.exit(new MqttLoad(options).run());
    }

    private int run() throws Exception {
        double connectSeconds = fleet.connectAll();
        System.err.printf(Locale.ROOT, "connected %d devices in %.2f s%n", fleet.size(), connectSeconds);
        switch (options.scenario()) {
            case "throughput" -> {
                for (int i = 0; i < fleet.size(); i++) {
                    publish(i, true);
                }
                measure(connectSeconds);
            }
            case "paced" -> publishPeriodically(connectSeconds, period -> ThreadLocalRandom.current().nextLong(period));
            case "burst" -> publishPeriodically(connectSeconds,
                    period -> period + ThreadLocalRandom.current().nextLong(BURST_WINDOW_NANOS));
            case "idle" -> {
                System.out.printf(Locale.ROOT, "{\"scenario\":\"idle\",\"devices\":%d,\"connectSeconds\":%.3f}%n",
                        fleet.size(), connectSeconds);
                System.out.flush();
                Thread.sleep(options.hold().toMillis());
            }
            default -> throw new IllegalArgumentException("unknown scenario " + options.scenario());
        }
        fleet.disconnectAll();
        return failed.sum() == 0 ? 0 : 1;
    }

    /**
     * Every device publishes {@code --rate} times per second, first after its own delay (given the period in
     * nanoseconds), then once per period.
     */
    private void publishPeriodically(double connectSeconds, LongUnaryOperator firstDelay) throws InterruptedException {
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        long period = (long) (1e9 / options.ratePerDevice());
        for (int i = 0; i < fleet.size(); i++) {
            int device = i;
            timer.scheduleAtFixedRate(() -> publish(device, false), firstDelay.applyAsLong(period), period,
                    TimeUnit.NANOSECONDS);
        }
        measure(connectSeconds);
        timer.shutdownNow();
    }

    private void measure(double connectSeconds) throws InterruptedException {
        Thread.sleep(options.warmUp().toMillis());
        acknowledged.reset();
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(options.duration().toMillis());
        measuring.set(false);
        double seconds = (System.nanoTime() - start) / 1e9;
        stopping.set(true);
        Thread.sleep(1000);
        System.out.printf(Locale.ROOT, "{\"scenario\":\"%s\",\"devices\":%d,\"payloadBytes\":%d,\"seconds\":%.1f,"
                + "\"acknowledged\":%d,\"messagesPerSecond\":%.0f,\"p50Ms\":%.2f,\"p99Ms\":%.2f,\"p999Ms\":%.2f,"
                + "\"failed\":%d,\"connectSeconds\":%.3f}%n", options.scenario(), fleet.size(), payload.length, seconds,
                acknowledged.sum(), acknowledged.sum() / seconds, latencies.millis(0.50), latencies.millis(0.99),
                latencies.millis(0.999), failed.sum(), connectSeconds);
    }

    /** Nothing new once the run is stopping: what is in flight then has a second to finish before disconnecting. */
    private void publish(int device, boolean thenNext) {
        if (stopping.get()) {
            return;
        }
        long sent = System.nanoTime();
        fleet.client(device).publishWith().topic(options.topic(device)).qos(MqttQos.AT_LEAST_ONCE).payload(payload)
                .send().whenComplete((result, error) -> {
                    if (error != null || result.getError().isPresent()) {
                        failed.increment();
                        if (failed.sum() <= 5) {
                            System.err.println("failed: " + (error != null ? error : result.getError().get()));
                        }
                        return;
                    }
                    if (measuring.get()) {
                        acknowledged.increment();
                        latencies.record(System.nanoTime() - sent);
                    }
                    if (thenNext) {
                        publish(device, true);
                    }
                });
    }
}
