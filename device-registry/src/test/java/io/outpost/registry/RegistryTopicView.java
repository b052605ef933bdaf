package io.outpost.registry;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.RegistryDevice;
import io.outpost.contracts.Topics;
import io.outpost.registry.service.RegistryOutbox;
import io.outpost.testsupport.InProcessKafka;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** A tenant's devices as the database has them and as the compacted registry topic says, for comparing the two. */
final class RegistryTopicView {
    private RegistryTopicView() {
    }

    /** Every device of the tenant, as the registry would publish it now. */
    static Map<String, RegistryDevice> database(String tenant) {
        Map<String, RegistryDevice> view = new HashMap<>();
        QuarkusTransaction.requiringNew().run(() -> {
            for (Device device : Device.<Device>list("tenantId", tenant)) {
                view.put(tenant + "/" + device.deviceId, RegistryOutbox.snapshot(device, Credential.active(device.pk)));
            }
        });
        return view;
    }

    /**
     * Reads the whole topic, keeping the latest record per key of this tenant (a tombstone removes the key), until it
     * equals {@code expected} or the time is up; returns what it read.
     */
    static Map<String, RegistryDevice> awaitTopic(ObjectMapper json, String tenant, Map<String, RegistryDevice> expected,
            Duration timeout) throws Exception {
        Map<String, RegistryDevice> latest = new HashMap<>();
        Properties properties = InProcessKafka.adminProperties();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "registry-topic-test-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.REGISTRY_DEVICES));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (!record.key().startsWith(tenant + "/")) {
                        continue;
                    }
                    if (record.value() == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(record.key(), json.readValue(record.value(), RegistryDevice.class));
                    }
                }
                if (latest.equals(expected)) {
                    break;
                }
            }
        }
        return latest;
    }
}
