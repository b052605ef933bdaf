package io.outpost.load;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;

/**
 * Many simulated devices, each its own MQTT 5 connection, connected with bounded concurrency. Index {@code i} of the
 * fleet is the device {@code options.device(first + i)}.
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
        this.options = options;
        this.persistentSessions = persistentSessions;
        this.first = first;
        this.count = count;
        for (int i = 0; i < count; i++) {
            clients.add(Mqtt5Client.builder().identifier(options.device(first + i))
                    .serverHost(options.host()).serverPort(options.port())
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
