package io.outpost.testsupport;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
import io.outpost.contracts.SecretHash;
import io.outpost.contracts.SecretHashScheme;
import io.outpost.contracts.Topics;

/**
 * Stands in for the device registry in tests: writes device records (with a {@code sha256-salted-v1} hash of a
 * secret) and tombstones to the compacted registry topic of the in-process Kafka, as the registry's outbox would.
 */
public final class RegistryRecords {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Each device's current incarnation (its createdAt), kept across updates until it is deleted, as the registry does. */
    private static final Map<String, Instant> INCARNATIONS = new ConcurrentHashMap<>();
    /** One for the test JVM (a producer per record took ~50 ms; registering 1,000 devices took a minute). */
    private static KafkaProducer<String, byte[]> producer;

    private RegistryRecords() {
    }

    /** A tenant id no other test uses. */
    public static String newTenant() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Writes the device's record: enabled or not, with one credential for {@code secret}. */
    public static void put(String tenant, String device, boolean enabled, String secret) {
        put(tenant, device, enabled, secret, List.of());
    }

    /** Writes the device's record as a member of {@code groups}. */
    public static void put(String tenant, String device, boolean enabled, String secret, List<String> groups) {
        Instant incarnation = INCARNATIONS.computeIfAbsent(tenant + "/" + device,
                key -> Instant.now().truncatedTo(ChronoUnit.MICROS));
        RegistryDevice record = new RegistryDevice(tenant, device, enabled, groups, Map.of(),
                List.of(hash(secret)), System.nanoTime(), Instant.now(), incarnation);
        try {
            send(tenant + "/" + device, JSON.writeValueAsBytes(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the tombstone of a deleted device. */
    public static void delete(String tenant, String device) {
        INCARNATIONS.remove(tenant + "/" + device);
        send(tenant + "/" + device, null);
    }

    /** Writes a group's record, as the registry does when the group is created. */
    public static void putGroup(String tenant, String group) {
        RegistryGroup record = new RegistryGroup(tenant, group, group, System.nanoTime(), Instant.now());
        try {
            send(Topics.REGISTRY_GROUPS, tenant + "/" + group, JSON.writeValueAsBytes(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SecretHash hash(String secret) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Base64.Encoder base64 = Base64.getEncoder();
        return new SecretHash(UUID.randomUUID().toString(), SecretHashScheme.SHA256_SALTED_V1,
                base64.encodeToString(salt), base64.encodeToString(SecretHashScheme.hash(salt, secret)), null);
    }

    private static void send(String key, byte[] value) {
        send(Topics.REGISTRY_DEVICES, key, value);
    }

    private static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    InProcessKafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private static void send(String topic, String key, byte[] value) {
        try {
            producer().send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the registry record for " + key + " was not written", e);
        }
    }
}
