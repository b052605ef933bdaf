package io.outpost.load;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

import com.hivemq.client.mqtt.datatypes.MqttQos;

/**
 * Commands through the command service's REST API to simulated devices connected to the bridge. Scenarios:
 * <ul>
 * <li>{@code latency}: every device gets {@code --rate} commands per second; reports the time from sending the POST
 * to the command's arrival at the device, and the POST's response time.</li>
 * <li>{@code throughput}: {@code --concurrency} callers POST commands back to back, spread over the devices; reports
 * commands accepted (202) per second and the response time.</li>
 * <li>{@code storm}: every device disconnects, gets one command while offline, then all reconnect at once; reports the
 * time until all are connected and subscribed again, and until every command has reached its device.</li>
 * </ul>
 * The devices acknowledge every command (PUBACK) and do not reply. Prints one JSON line with the figures.
 * <p>
 * Without {@code --api}, the baseline: a backend client publishes the commands straight to a plain MQTT broker such
 * as Mosquitto ({@link BrokerCommandChannel}), and the devices keep persistent sessions there.
 */
public final class CommandLoad {
    private final LoadOptions options;
    private final Fleet fleet;
    private final CommandChannel channel;
    private final AtomicBoolean measuring = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentHashMap<Long, Long> sentAt = new ConcurrentHashMap<>();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder arrived = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Latencies toDevice = new Latencies(2_000_000);
    private final Latencies response = new Latencies(2_000_000);

    private CommandLoad(LoadOptions options) {
        this.options = options;
        if (options.api() == null) {
            this.channel = new BrokerCommandChannel(options.host(), options.port());
            this.fleet = new Fleet(options, true);
        } else {
            if (options.token() == null || options.tenant() == null) {
                throw new IllegalArgumentException("--api needs --token and --tenant");
            }
            // Paced sends need a few threads of their own; back-to-back callers each keep one request under way.
            this.channel = new RestCommandChannel(options.api(), options.tenant(), options.token(),
                    Math.max(options.concurrency(), 16));
            this.fleet = new Fleet(options, false);
        }
    }

    public static void main(String[] args) throws Exception {
        System.exit(new CommandLoad(LoadOptions.parse(args)).run());
    }

    private int run() throws Exception {
        double connectSeconds = fleet.connectAll();
        subscribeAll();
        System.err.printf(Locale.ROOT, "connected and subscribed %d devices in %.2f s%n", fleet.size(), connectSeconds);
        switch (options.scenario()) {
            case "latency" -> paced();
            case "throughput" -> backToBack();
            case "storm" -> storm();
            default -> throw new IllegalArgumentException("unknown scenario " + options.scenario());
        }
        fleet.disconnectAll();
        channel.close();
        return failed.sum() == 0 ? 0 : 1;
    }

    private void paced() throws InterruptedException {
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        long period = (long) (1e9 / options.ratePerDevice());
        for (int i = 0; i < fleet.size(); i++) {
            int device = i;
            timer.scheduleAtFixedRate(() -> send(device), ThreadLocalRandom.current().nextLong(period), period,
                    TimeUnit.NANOSECONDS);
        }
        measure();
        timer.shutdownNow();
    }

    private void backToBack() throws InterruptedException {
        ExecutorService callers = Executors.newFixedThreadPool(options.concurrency());
        for (int c = 0; c < options.concurrency(); c++) {
            int caller = c;
            callers.submit(() -> {
                for (int n = caller; !stopping.get(); n += options.concurrency()) {
                    sendAndWait(n % fleet.size());
                }
            });
        }
        measure();
        callers.shutdown();
        callers.awaitTermination(10, TimeUnit.SECONDS);
    }

    private void storm() throws InterruptedException {
        fleet.disconnectAll();
        ExecutorService callers = Executors.newFixedThreadPool(options.concurrency());
        for (int i = 0; i < fleet.size(); i++) {
            int device = i;
            callers.submit(() -> sendAndWait(device));
        }
        callers.shutdown();
        callers.awaitTermination(10, TimeUnit.MINUTES);
        System.err.printf(Locale.ROOT, "%d commands waiting in the mailboxes of offline devices%n", sentAt.size());
        measuring.set(true);
        long start = System.nanoTime();
        fleet.reconnectAll();
        subscribeAll();
        double reconnected = (System.nanoTime() - start) / 1e9;
        long deadline = start + TimeUnit.SECONDS.toNanos(120);
        while (arrived.sum() < fleet.size() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        double delivered = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "{\"scenario\":\"storm\",\"devices\":%d,\"reconnectedSeconds\":%.2f,"
                + "\"arrived\":%d,\"allDeliveredSeconds\":%.2f,\"failed\":%d}%n", fleet.size(), reconnected,
                arrived.sum(), delivered, failed.sum());
        if (arrived.sum() < fleet.size()) {
            failed.increment();
        }
    }

    private void measure() throws InterruptedException {
        Thread.sleep(options.warmUp().toMillis());
        accepted.reset();
        arrived.reset();
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(options.duration().toMillis());
        measuring.set(false);
        double seconds = (System.nanoTime() - start) / 1e9;
        stopping.set(true);
        Thread.sleep(1000);
        System.out.printf(Locale.ROOT, "{\"scenario\":\"%s\",\"devices\":%d,\"concurrency\":%d,\"seconds\":%.1f,"
                + "\"accepted\":%d,\"acceptedPerSecond\":%.0f,\"arrived\":%d,"
                + "\"toDeviceP50Ms\":%.2f,\"toDeviceP99Ms\":%.2f,\"toDeviceP999Ms\":%.2f,"
                + "\"responseP50Ms\":%.2f,\"responseP99Ms\":%.2f,\"failed\":%d}%n", options.scenario(), fleet.size(),
                options.scenario().equals("throughput") ? options.concurrency() : 0, seconds, accepted.sum(),
                accepted.sum() / seconds, arrived.sum(), toDevice.millis(0.50), toDevice.millis(0.99),
                toDevice.millis(0.999), response.millis(0.50), response.millis(0.99), failed.sum());
    }

    private void subscribeAll() {
        CompletableFuture.allOf(IntStream.range(0, fleet.size()).mapToObj(this::subscribe)
                .toArray(CompletableFuture[]::new)).join();
    }

    private CompletableFuture<?> subscribe(int device) {
        return fleet.client(device).subscribeWith().topicFilter("devices/" + options.device(device) + "/commands/request/#")
                .qos(MqttQos.AT_LEAST_ONCE).callback(command -> {
                    // devices/{d}/commands/request/{id}/c{sequence}
                    String topic = command.getTopic().toString();
                    Long sent = sentAt.remove(Long.parseLong(topic.substring(topic.lastIndexOf('/') + 2)));
                    if (sent != null && measuring.get()) {
                        arrived.increment();
                        toDevice.record(System.nanoTime() - sent);
                    }
                }).send();
    }

    private void send(int device) {
        if (stopping.get()) {
            return;
        }
        long seq = sequence.incrementAndGet();
        long start = System.nanoTime();
        sentAt.put(seq, start);
        channel.send(options.device(device), seq).whenComplete((ok, error) -> count(ok, error, start));
    }

    private void sendAndWait(int device) {
        long seq = sequence.incrementAndGet();
        long start = System.nanoTime();
        sentAt.put(seq, start);
        try {
            count(channel.send(options.device(device), seq).join(), null, start);
        } catch (RuntimeException e) {
            count(false, e, start);
        }
    }

    private void count(Boolean ok, Throwable error, long start) {
        if (error != null || !ok) {
            failed.increment();
            if (failed.sum() <= 5) {
                System.err.println("failed: " + (error != null ? error : "not accepted"));
            }
            return;
        }
        if (measuring.get()) {
            accepted.increment();
            response.record(System.nanoTime() - start);
        }
    }
}
