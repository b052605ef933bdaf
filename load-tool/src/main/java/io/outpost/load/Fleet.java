package io.outpost.load;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;

/** Many simulated devices, each its own MQTT 5 connection, connected with bounded concurrency. */
final class Fleet {
    private final LoadOptions options;
    private final boolean persistentSessions;
    private final List<Mqtt5AsyncClient> clients = new ArrayList<>();

    Fleet(LoadOptions options) {
        this(options, false);
    }

    /** With persistent sessions, a plain broker keeps each device's subscriptions and queues its QoS 1 messages. */
    Fleet(LoadOptions options, boolean persistentSessions) {
        this.options = options;
        this.persistentSessions = persistentSessions;
    }

    /** Connects every device; returns the seconds it took. Fails if any device is refused. */
    double connectAll() throws InterruptedException {
        for (int i = 0; i < options.devices(); i++) {
            clients.add(Mqtt5Client.builder().identifier(options.device(i))
                    .serverHost(options.host()).serverPort(options.port())
                    .buildAsync());
        }
        return reconnectAll();
    }

    /** Connects every device again (after {@link #disconnectAll()}); returns the seconds it took. */
    double reconnectAll() throws InterruptedException {
        Semaphore inFlight = new Semaphore(options.connectConcurrency());
        List<CompletableFuture<?>> connects = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < clients.size(); i++) {
            var connect = clients.get(i).connectWith().keepAlive(300);
            if (persistentSessions) {
                connect = connect.cleanStart(false).sessionExpiryInterval(3600);
            }
            String username = options.username(i);
            if (username != null) {
                connect = connect.simpleAuth().username(username)
                        .password(options.secret().getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
            }
            inFlight.acquire();
            connects.add(connect.send().whenComplete((ack, error) -> inFlight.release()));
        }
        CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).join();
        return (System.nanoTime() - start) / 1e9;
    }

    Mqtt5AsyncClient client(int index) {
        return clients.get(index);
    }

    int size() {
        return clients.size();
    }

    void disconnectAll() {
        CompletableFuture.allOf(clients.stream().map(client -> client.disconnect().exceptionally(error -> null))
                .toArray(CompletableFuture[]::new)).join();
    }
}
