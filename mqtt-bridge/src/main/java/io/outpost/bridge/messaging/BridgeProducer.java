package io.outpost.bridge.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.smallrye.common.annotation.Identifier;

/**
 * The node's one Kafka producer: idempotent, acks=all, so an acknowledged record is on every in-sync replica and
 * retries never duplicate or reorder it. A short linger batches records of many devices into one request, which is
 * what keeps PUBACK-after-ack affordable.
 */
@ApplicationScoped
public class BridgeProducer {
    private final KafkaProducer<String, byte[]> producer;

    @Inject
    public BridgeProducer(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "mqtt-bridge");
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends the record; the callback runs on Kafka's I/O thread once the broker acknowledged it or it failed. */
    public void send(ProducerRecord<String, byte[]> record, Callback callback) {
        producer.send(record, callback);
    }

    /** Waits until every record sent so far is acknowledged. */
    public void flush() {
        producer.flush();
    }

    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
