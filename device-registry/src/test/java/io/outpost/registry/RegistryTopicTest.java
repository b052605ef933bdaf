package io.outpost.registry;

import static io.outpost.registry.RegistryApi.as;
import static io.outpost.registry.RegistryApi.devices;
import static io.outpost.registry.RegistryApi.groups;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.RegistryDevice;
import io.outpost.contracts.Topics;
import io.outpost.registry.Credential;
import io.outpost.registry.Device;
import io.outpost.registry.rest.DeviceRequest;
import io.outpost.registry.service.RegistryOutbox;
import io.outpost.registry.service.DeviceService;
import io.outpost.testsupport.InProcessKafka;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class RegistryTopicTest {
    @Inject
    DeviceService devices;
    @Inject
    ObjectMapper json;

    @Test
    void latestRecordPerKeyOnTheCompactedTopicEqualsTheDatabase() throws Exception {
        // given a sequence of creates, updates, memberships, credentials and deletes
        String tenant = RegistryApi.newTenant();
        as(tenant, "tenant-admin").body(Map.of("id", "g")).post(groups(tenant)).then().statusCode(201);
        for (int i = 0; i < 20; i++) {
            as(tenant, "tenant-admin").body(Map.of("id", "d" + i, "labels", Map.of("n", "" + i), "credential", Map.of()))
                    .post(devices(tenant)).then().statusCode(201);
        }
        for (int i = 0; i < 20; i += 2) {
            as(tenant, "tenant-admin").body(Map.of("enabled", false, "labels", Map.of("n", "updated-" + i)))
                    .put(devices(tenant) + "/d" + i).then().statusCode(200);
        }
        for (int i = 0; i < 20; i += 3) {
            as(tenant, "tenant-admin").put(groups(tenant) + "/g/members/d" + i).then().statusCode(204);
        }
        for (int i = 0; i < 20; i += 5) {
            as(tenant, "tenant-admin").delete(devices(tenant) + "/d" + i).then().statusCode(204);
        }
        as(tenant, "tenant-admin").body(Map.of()).post(devices(tenant) + "/d1/credentials").then().statusCode(201);
        as(tenant, "tenant-admin").contentType("application/x-ndjson")
                .body("{\"id\":\"imported-1\",\"groups\":[\"g\"]}\n{\"id\":\"imported-2\"}\n")
                .post(devices(tenant) + "/import").then().statusCode(200);
        // and a change that is rolled back after it reached the outbox
        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            devices.replace(tenant, "d1", null, new DeviceRequest(null, true, Map.of("n", "rolled-back"), null, null, null));
            throw new IllegalStateException("abort");
        }));

        // when the topic is read from the start, keeping the latest record per key of this tenant
        Map<String, RegistryDevice> expected = databaseView(tenant);
        Map<String, RegistryDevice> onTopic = awaitTopic(tenant, expected, Duration.ofSeconds(30));

        // then it equals the database: deleted devices are tombstones, the rolled-back change is absent
        assertEquals(expected, onTopic);
        assertEquals(18, expected.size());
        assertEquals("1", expected.get(tenant + "/d1").labels().get("n"));
        assertEquals(2, expected.get(tenant + "/d1").secrets().size());
        assertEquals(List.of("g"), expected.get(tenant + "/d3").groups());
        assertEquals(false, expected.get(tenant + "/d2").enabled());
    }

    private Map<String, RegistryDevice> databaseView(String tenant) {
        Map<String, RegistryDevice> view = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            view.put(tenant + "/d" + i, null);
        }
        QuarkusTransaction.requiringNew().run(() -> {
            for (Device device : Device.<Device>list("tenantId", tenant)) {
                view.put(tenant + "/" + device.deviceId, RegistryOutbox.snapshot(device, Credential.active(device.pk)));
            }
        });
        view.values().removeIf(Objects::isNull);
        return view;
    }

    /** Reads the whole topic until this tenant's latest records equal the database or the time is up. */
    private Map<String, RegistryDevice> awaitTopic(String tenant, Map<String, RegistryDevice> expected, Duration timeout)
            throws Exception {
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
