package io.outpost.messaging;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one way Outpost modules create Kafka producers: idempotent and acks=all, so an acknowledged record is on every
 * in-sync replica and the producer's own retries never duplicate or reorder a partition's records.
 */
public final class ReliableProducer {
    private ReliableProducer() {
    }

    /**
     * @param kafkaConfig the application's Kafka settings (bootstrap servers, security)
     * @param clientId    names the producer in the broker's logs and metrics
     * @param lingerMs    how long a batch waits for more records; 0 sends each at once
     */
    public static KafkaProducer<String, byte[]> create(Map<String, Object> kafkaConfig, String clientId, int lingerMs) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
}
