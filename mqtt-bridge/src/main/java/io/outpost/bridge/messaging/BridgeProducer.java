package io.outpost.bridge.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Future;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import io.outpost.bridge.ShutdownOrder;
import io.outpost.messaging.ReliableProducer;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * The node's one Kafka producer ({@link ReliableProducer}: idempotent, acks=all, so an acknowledged record is on every
 * in-sync replica and retries never duplicate or reorder it). A short linger batches records of many devices into one
 * request, which is what keeps PUBACK-after-ack affordable. It closes last on shutdown ({@link ShutdownOrder}).
 */
@ApplicationScoped
public class BridgeProducer {
    /** Long enough to batch records of many devices, short against a device's PUBACK wait. */
    private static final int LINGER_MS = 2;

    private final KafkaProducer<String, byte[]> producer;

    @Inject
    public BridgeProducer(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.producer = ReliableProducer.create(kafkaConfig, "mqtt-bridge", LINGER_MS);
    }

    /** Sends the record; the callback runs on Kafka's I/O thread once the broker acknowledged it or it failed. */
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
