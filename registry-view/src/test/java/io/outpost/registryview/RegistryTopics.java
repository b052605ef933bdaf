package io.outpost.registryview;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.outpost.contracts.RegistryDevice;
import io.outpost.contracts.RegistryGroup;
import io.outpost.contracts.Topics;
import io.outpost.testsupport.InProcessKafka;

/**
 * Writes device and group records to the registry's compacted topics of the in-process Kafka, as the registry's
 * outbox would, through one producer: fast enough for thousands of changes in a test.
 */
final class RegistryTopics implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, InProcessKafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
            new StringSerializer(), new ByteArraySerializer());
    private long version;

    static String newTenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    void device(String tenant, String device, String... groups) {
        send(Topics.REGISTRY_DEVICES, tenant + "/" + device, new RegistryDevice(tenant, device, true, List.of(groups),
                Map.of(), List.of(), ++version, Instant.now(), null));
    }

    void deviceDeleted(String tenant, String device) {
        send(Topics.REGISTRY_DEVICES, tenant + "/" + device, null);
    }

    void group(String tenant, String group, String name) {
        send(Topics.REGISTRY_GROUPS, tenant + "/" + group, new RegistryGroup(tenant, group, name, ++version,
                Instant.now()));
    }

    void groupDeleted(String tenant, String group) {
        send(Topics.REGISTRY_GROUPS, tenant + "/" + group, null);
    }

    /** Waits until Kafka has every record sent so far. */
    void flush() {
        producer.flush();
    }

    private void send(String topic, String key, Object value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value == null ? null : JSON.writeValueAsBytes(value)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
