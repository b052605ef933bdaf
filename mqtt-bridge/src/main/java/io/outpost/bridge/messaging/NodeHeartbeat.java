package io.outpost.bridge.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.bridge.NodeIdentity;
import io.outpost.bridge.ShutdownOrder;
import io.outpost.bridge.config.BridgeConfig;
import io.outpost.contracts.BridgeNodeEvent;
import io.outpost.contracts.BridgeNodeEventType;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.Topics;
import io.outpost.messaging.CloudEventRecords;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Tells the registry that this node lives, on {@code outpost.bridge-nodes.v1} keyed by node id: STARTED once at
 * startup, ALIVE every {@code outpost.bridge.heartbeat-interval}, STOPPED on clean shutdown after the sessions ended
 * (waiting for Kafka's acknowledgement). A node that falls silent for three intervals has crashed, and the registry
 * marks its sessions offline. Every event carries this life's {@code startedAt}, so a restart under a configured,
 * stable node id is recognisable too. A lost STARTED or ALIVE needs no retry: the next ALIVE says the same.
 */
@ApplicationScoped
public class NodeHeartbeat {
    private static final Logger LOG = Logger.getLogger(NodeHeartbeat.class);
    private static final Duration STOPPED_WAIT = Duration.ofSeconds(5);

    private final NodeIdentity node;
    private final BridgeProducer producer;
    private final ObjectMapper json;
    private final Duration interval;
    private final AtomicLong sequence = new AtomicLong();
    private ScheduledExecutorService timer;

    @Inject
    public NodeHeartbeat(NodeIdentity node, BridgeProducer producer, ObjectMapper json, BridgeConfig config) {
        this(node, producer, json, config.heartbeatInterval());
    }

    public NodeHeartbeat(NodeIdentity node, BridgeProducer producer, ObjectMapper json, Duration interval) {
        this.node = node;
        this.producer = producer;
        this.json = json;
        this.interval = interval;
    }

    void onStart(@Observes StartupEvent startup) {
        start();
    }

    void onStop(@Observes @Priority(ShutdownOrder.FLUSH) ShutdownEvent shutdown) {
        stop();
    }

    /** Publishes STARTED, then ALIVE every interval on a thread of its own (a send may block on metadata). */
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "bridge-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        timer.execute(() -> publish(BridgeNodeEventType.STARTED));
        timer.scheduleAtFixedRate(() -> publish(BridgeNodeEventType.ALIVE), interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Stops ALIVE and publishes STOPPED, waiting (a few seconds at most) until Kafka has it. */
    public synchronized void stop() {
        timer.shutdownNow();
        try {
            publish(BridgeNodeEventType.STOPPED).get(STOPPED_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warnf("STOPPED of node %s not acknowledged by Kafka: %s; the registry will time the node out",
                    node.id(), e.toString());
        }
    }

    private Future<?> publish(BridgeNodeEventType type) {
        Instant now = Instant.now();
        BridgeNodeEvent event = new BridgeNodeEvent(node.id(), type, node.startedAt(), now, interval.toMillis());
        byte[] value;
        try {
            value = json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a BridgeNodeEvent always serializes", e);
        }
        RecordHeaders headers = CloudEventRecords.headers(
                node.id() + "-" + node.startedAt().toEpochMilli() + "-" + sequence.incrementAndGet(), node.source(),
                CloudEventTypes.BRIDGE_NODE, now, null, null, "application/json");
        try {
            return producer.send(new ProducerRecord<>(Topics.BRIDGE_NODES, null, node.id(), value, headers),
                    (metadata, error) -> {
                        if (error != null) {
                            LOG.warnf("%s of node %s not published: %s", type, node.id(), error.toString());
                        }
                    });
        } catch (RuntimeException e) {
            // On the timer thread an escaping exception would end the schedule: the next ALIVE must still go out.
            LOG.warnf("%s of node %s not sent: %s", type, node.id(), e.toString());
            return CompletableFuture.failedFuture(e);
        }
    }
}
