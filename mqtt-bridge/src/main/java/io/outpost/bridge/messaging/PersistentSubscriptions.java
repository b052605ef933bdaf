package io.outpost.bridge.messaging;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.bridge.NodeIdentity;
import io.outpost.contracts.DeviceSubscriptions;
import io.outpost.contracts.Topics;
import io.outpost.messaging.TopicFollower;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Vertx;

/**
 * The subscriptions of MQTT 3.1.1 persistent sessions (CleanSession 0), kept on the compacted
 * {@code outpost.device-subscriptions.v1} so that any node can restore them: every node follows the whole topic.
 * <p>
 * A restore reads the topic's end offsets first and waits until this node's view has everything below them, so a
 * subscription acknowledged on one node (its SUBACK waits for {@link #save}) is there when the device reconnects to
 * another a moment later.
 */
@ApplicationScoped
public class PersistentSubscriptions {
    private static final Logger LOG = Logger.getLogger(PersistentSubscriptions.class);
    private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(5);
    private static final long CATCH_UP_POLL_MS = 5;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    @Inject
    ObjectMapper json;
    @Inject
    NodeIdentity node;
    @Inject
    BridgeProducer producer;
    @Inject
    Vertx vertx;

    private final Map<String, List<String>> stored = new ConcurrentHashMap<>();
    private TopicFollower follower;
    private Admin admin;
    private volatile List<TopicPartition> partitions;

    void start(@Observes StartupEvent start) {
        admin = Admin.create(kafkaConfig);
        follower = new TopicFollower(Topics.DEVICE_SUBSCRIPTIONS, TopicFollower.Start.BEGINNING, kafkaConfig,
                "mqtt-bridge-subscriptions-" + node.id(), this::apply,
                () -> LOG.infof("persistent sessions caught up: %d devices", stored.size()));
        follower.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        follower.stop();
        admin.close(Duration.ofSeconds(5));
    }

    /** True while the view follows the topic with a working consumer, having read what existed at start. */
    public boolean live() {
        return follower.live();
    }

    /** The device's stored filters (empty if none), with every write acknowledged before this call included. */
    public CompletionStage<List<String>> restore(String key) {
        long deadline = System.nanoTime() + CATCH_UP_LIMIT.toNanos();
        return endOffsets().thenCompose(end -> handled(end, deadline))
                .thenApply(v -> stored.getOrDefault(key, List.of()));
    }

    /** Stores the filters of a persistent session; completes when Kafka has them. */
    public CompletionStage<Void> save(String tenant, String device, List<String> filters) {
        byte[] value;
        try {
            value = json.writeValueAsBytes(new DeviceSubscriptions(tenant, device, filters, Instant.now()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("DeviceSubscriptions always serialize", e);
        }
        return send(tenant + "/" + device, value);
    }

    /**
     * Forgets a device's persistent session as this node knows it now (a deletion, an MQTT 5 connect); nothing is
     * written if it has none here.
     */
    public CompletionStage<Void> forgetKnown(String key) {
        return stored.containsKey(key) ? send(key, null) : CompletableFuture.completedFuture(null);
    }

    /**
     * Forgets a device's persistent session (an MQTT 3.1.1 clean connect), including one stored on another node a
     * moment ago; nothing is written if it has none.
     */
    public CompletionStage<Void> forget(String key) {
        return restore(key).thenCompose(filters -> filters.isEmpty() ? CompletableFuture.completedFuture(null)
                : send(key, null));
    }

    private CompletionStage<Void> send(String key, byte[] value) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(Topics.DEVICE_SUBSCRIPTIONS, key, value), (metadata, error) -> {
            if (error == null) {
                acknowledged.complete(null);
            } else {
                acknowledged.completeExceptionally(error);
            }
        });
        return acknowledged;
    }

    private CompletionStage<Map<TopicPartition, Long>> endOffsets() {
        return partitions().thenCompose(all -> admin.listOffsets(all.stream()
                .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().toCompletionStage())
                .thenApply(offsets -> offsets.entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset())));
    }

    private CompletionStage<List<TopicPartition>> partitions() {
        List<TopicPartition> known = partitions;
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        return admin.describeTopics(List.of(Topics.DEVICE_SUBSCRIPTIONS)).allTopicNames().toCompletionStage()
                .thenApply(topics -> {
                    List<TopicPartition> all = topics.get(Topics.DEVICE_SUBSCRIPTIONS).partitions().stream()
                            .map(info -> new TopicPartition(Topics.DEVICE_SUBSCRIPTIONS, info.partition())).toList();
                    partitions = all;
                    return all;
                });
    }

    private CompletionStage<Void> handled(Map<TopicPartition, Long> end, long deadline) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        check(end, deadline, done);
        return done;
    }

    private void check(Map<TopicPartition, Long> end, long deadline, CompletableFuture<Void> done) {
        if (follower.hasHandled(end)) {
            done.complete(null);
        } else if (System.nanoTime() > deadline) {
            done.completeExceptionally(new TimeoutException("the persistent sessions of this node lag behind "
                    + Topics.DEVICE_SUBSCRIPTIONS + " for more than " + CATCH_UP_LIMIT.toSeconds() + " s"));
        } else {
            vertx.setTimer(CATCH_UP_POLL_MS, id -> check(end, deadline, done));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            stored.remove(record.key());
            return;
        }
        try {
            stored.put(record.key(), List.copyOf(json.readValue(record.value(), DeviceSubscriptions.class).filters()));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("skipped an unreadable persistent session of %s: %s", record.key(), e.toString());
        }
    }
}
