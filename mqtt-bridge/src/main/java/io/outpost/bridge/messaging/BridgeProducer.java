package io.outpost.bridge.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.jboss.logging.Logger;

import io.outpost.bridge.ShutdownOrder;
import io.outpost.contracts.Topics;
import io.outpost.messaging.ReliableProducer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * The node's one Kafka producer ({@link ReliableProducer}: idempotent, acks=all, so an acknowledged record is on every
 * in-sync replica and retries never duplicate or reorder it). A short linger batches records of many devices into one
 * request, which is what keeps PUBACK-after-ack affordable. It closes last on shutdown ({@link ShutdownOrder}).
 * <p>
 * Devices' records are sent from the event loop, so {@code send} must never block: it does not wait for metadata
 * ({@code max.block.ms} 0; a record that cannot be placed fails at once, and its device's session ends, so the
 * device sends it again). Metadata of the node's topics is fetched before the node starts and never dropped as idle.
 * Without that, a Kafka broker killed under load blocked an event loop, and every device on it, for 32 s.
 */
@ApplicationScoped
public class BridgeProducer {
    private static final Logger LOG = Logger.getLogger(BridgeProducer.class);
    /** Long enough to batch records of many devices, short against a device's PUBACK wait. */
    private static final int LINGER_MS = 2;
    /** The topics this node writes to. */
    static final List<String> TOPICS = List.of(Topics.TELEMETRY, Topics.INQUIRIES, Topics.COMMAND_RESPONSES,
            Topics.DELIVERY_RECEIPTS, Topics.DEVICE_SESSIONS, Topics.BRIDGE_NODES, Topics.DEVICE_SUBSCRIPTIONS);
    private static final Duration METADATA_WAIT = Duration.ofSeconds(30);
    private static final Duration NEVER_IDLE = Duration.ofDays(7);

    private final KafkaProducer<String, byte[]> producer;

    @Inject
    public BridgeProducer(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 0);
        config.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, NEVER_IDLE.toMillis());
        this.producer = ReliableProducer.create(config, "mqtt-bridge", LINGER_MS);
    }

    /** Before the MQTT listeners open: the metadata of every topic this node writes to, while Kafka answers. */
    void fetchMetadata(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE) StartupEvent start)
            throws InterruptedException {
        long deadline = System.nanoTime() + METADATA_WAIT.toNanos();
        for (String topic : TOPICS) {
            while (!hasMetadata(topic)) {
                if (System.nanoTime() > deadline) {
                    LOG.warnf("no metadata of %s within %s: records of devices fail until Kafka answers", topic,
                            METADATA_WAIT);
                    return;
                }
                Thread.sleep(20);
            }
        }
    }

    private boolean hasMetadata(String topic) {
        try {
            return !producer.partitionsFor(topic).isEmpty();
        } catch (TimeoutException fetchingNow) {
            return false;
        }
    }

    /**
     * Sends the record without blocking; the callback runs on Kafka's I/O thread once the broker acknowledged it or it
     * failed (also at once, when the record cannot be placed).
     */
    public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
        return producer.send(record, callback);
    }

    /** Waits until every record sent so far is acknowledged. */
    public void flush() {
        producer.flush();
    }

    void close(@Observes @Priority(ShutdownOrder.PRODUCER) ShutdownEvent shutdown) {
        producer.close(Duration.ofSeconds(10));
    }
}
