package io.outpost.load;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;

/**
 * Many simulated devices, each its own MQTT 5 connection, connected with bounded concurrency. Index {@code i} of the
 * fleet is the device {@code options.device(first + i)}; given several ports (bridge nodes), device {@code n} connects
 * to {@code ports[n % ports.size()]}.
 */
final class Fleet {
    private final LoadOptions options;
    private final boolean persistentSessions;
    private final int first;
    private final int count;
    private final List<Mqtt5AsyncClient> clients = new ArrayList<>();

    Fleet(LoadOptions options) {
        this(options, false);
    }

    /** With persistent sessions, a plain broker keeps each device's subscriptions and queues its QoS 1 messages. */
    Fleet(LoadOptions options, boolean persistentSessions) {
        this(options, persistentSessions, 0, options.devices());
    }

    /** The devices {@code first} .. {@code first + count - 1} of the options' naming. */
    Fleet(LoadOptions options, boolean persistentSessions, int first, int count) {
        this(options, persistentSessions, first, count, List.of(options.port()));
    }

    /** The same, spread over the given ports of {@code options.host()} by device number. */
    Fleet(LoadOptions options, boolean persistentSessions, int first, int count, List<Integer> ports) {
        this.options = options;
        this.persistentSessions = persistentSessions;
        this.first = first;
        this.count = count;
        for (int i = 0; i < count; i++) {
            clients.add(Mqtt5Client.builder().identifier(options.device(first + i))
                    .serverHost(options.host()).serverPort(ports.get((first + i) % ports.size()))
                    .buildAsync());
        }
    }

    /** Connects every device; returns the seconds it took. Fails if any device is refused. */
    double connectAll() throws InterruptedException {
        return reconnectAll();
    }

    /** Connects every device again (after {@link #disconnectAll()}); returns the seconds it took. */
    double reconnectAll() throws InterruptedException {
        Semaphore inFlight = new Semaphore(options.connectConcurrency());
        List<CompletableFuture<?>> connects = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < clients.size(); i++) {
            inFlight.acquire();
            connects.add(connect(i).whenComplete((ack, error) -> inFlight.release()));
        }
        CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).join();
        return (System.nanoTime() - start) / 1e9;
    }

    /** Connects one device (keep-alive 300 s; with its credentials when the options have a tenant). */
    CompletableFuture<Mqtt5ConnAck> connect(int index) {
        var connect = clients.get(index).connectWith().keepAlive(300);
        if (persistentSessions) {
            connect = connect.cleanStart(false).sessionExpiryInterval(3600);
        }
        String username = options.username(first + index);
        if (username != null) {
            connect = connect.simpleAuth().username(username)
                    .password(options.secret().getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
        }
        return connect.send();
    }

    /**
     * Connects every device, {@code options.connectConcurrency()} at once, and then runs {@code then} for it (a
     * subscription, say; null for nothing). A refused connect is tried again every 500 ms until {@code patience} has
     * passed since the start: the bridge refuses a device it does not know yet (it learns of imported devices over
     * Kafka). Each retry is counted in {@code retries}; a device that still fails goes to {@code failed}.
     *
     * @return the seconds until every device was connected (and {@code then} done) or had failed
     */
    double connectEach(Duration patience, LongAdder retries, IntFunction<CompletableFuture<Void>> then,
            BiConsumer<Integer, Throwable> failed) throws InterruptedException {
        Semaphore inFlight = new Semaphore(options.connectConcurrency());
        long start = System.nanoTime();
        long deadline = start + patience.toNanos();
        List<CompletableFuture<Void>> connects = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int device = i;
            inFlight.acquire();
            CompletableFuture<Void> connect = connectWithRetry(device, deadline, retries);
            if (then != null) {
                connect = connect.thenCompose(ignored -> then.apply(device));
            }
            connects.add(connect.whenComplete((ok, error) -> {
                inFlight.release();
                if (error != null) {
                    failed.accept(device, error);
                }
            }));
        }
        CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).exceptionally(error -> null).join();
        return (System.nanoTime() - start) / 1e9;
    }

    private CompletableFuture<Void> connectWithRetry(int index, long deadline, LongAdder retries) {
        return connect(index).<Void>thenApply(ack -> null).exceptionallyCompose(error -> {
            if (System.nanoTime() > deadline) {
                return CompletableFuture.failedFuture(error);
            }
            retries.increment();
            return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(500,
                    TimeUnit.MILLISECONDS)).thenCompose(ignored -> connectWithRetry(index, deadline, retries));
        });
    }

    /** Why a publish was not accepted (an error, or a PUBACK with an error reason code); null if it was. */
    static Throwable refusal(Mqtt5PublishResult result) {
        if (result.getError().isPresent()) {
            return result.getError().get();
        }
        if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1 && qos1.getPubAck().getReasonCode().isError()) {
            return new IllegalStateException("PUBACK " + qos1.getPubAck().getReasonCode());
        }
        return null;
    }

    Mqtt5AsyncClient client(int index) {
        return clients.get(index);
    }

    /** The device id of fleet index {@code index}. */
    String device(int index) {
        return options.device(first + index);
    }

    int size() {
        return count;
    }

    void disconnectAll() {
        CompletableFuture.allOf(clients.stream().map(client -> client.disconnect().exceptionally(error -> null))
                .toArray(CompletableFuture[]::new)).join();
    }
}
