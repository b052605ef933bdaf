package io.outpost.bridge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.outpost.registryview.DeviceDirectory;
import io.outpost.contracts.RegistryDevice;
import io.outpost.contracts.SecretHash;
import io.outpost.contracts.Topics;
import io.outpost.testsupport.InProcessKafka;

/** Stands in for the registry: writes device records to the compacted topic, as the registry would. */
public final class TestDevices {
    public static final String SECRET = "correct-horse-battery-staple";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestDevices() {
    }

    /** A tenant no other test uses. */
    public static String newTenant() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Registers an enabled device with {@link #SECRET} and waits until the bridge's view has it. */
    public static void register(DeviceDirectory directory, String tenant, String device) throws Exception {
        put(directory, tenant, device, true);
    }

    public static void put(DeviceDirectory directory, String tenant, String device, boolean enabled) throws Exception {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(salt);
        byte[] hash = sha.digest(SECRET.getBytes(StandardCharsets.UTF_8));
        Base64.Encoder base64 = Base64.getEncoder();
        RegistryDevice record = new RegistryDevice(tenant, device, enabled, List.of(), Map.of(),
                List.of(new SecretHash(UUID.randomUUID().toString(), "sha256-salted-v1", base64.encodeToString(salt),
                        base64.encodeToString(hash), null)),
                System.nanoTime(), Instant.now());
        send(tenant + "/" + device, JSON.writeValueAsBytes(record));
        await(() -> directory.find(tenant + "/" + device).filter(d -> d.enabled() == enabled).isPresent());
    }

    public static void delete(DeviceDirectory directory, String tenant, String device) throws Exception {
        send(tenant + "/" + device, null);
        await(() -> directory.find(tenant + "/" + device).isEmpty());
    }

    private static void send(String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, InProcessKafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.REGISTRY_DEVICES, key, value)).get(10, TimeUnit.SECONDS);
        }
    }

    public static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(20);
        }
    }
}
