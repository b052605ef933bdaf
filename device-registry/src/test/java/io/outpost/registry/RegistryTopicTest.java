package io.outpost.registry;

import static io.outpost.registry.RegistryApi.as;
import static io.outpost.registry.RegistryApi.devices;
import static io.outpost.registry.RegistryApi.groups;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.RegistryDevice;
import io.outpost.registry.rest.DeviceRequest;
import io.outpost.registry.service.DeviceService;
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
        Map<String, RegistryDevice> expected = RegistryTopicView.database(tenant);
        Map<String, RegistryDevice> onTopic = RegistryTopicView.awaitTopic(json, tenant, expected,
                Duration.ofSeconds(30));

        // then it equals the database: deleted devices are tombstones, the rolled-back change is absent
        assertEquals(expected, onTopic);
        assertEquals(18, expected.size());
        assertEquals("1", expected.get(tenant + "/d1").labels().get("n"));
        assertEquals(2, expected.get(tenant + "/d1").secrets().size());
        assertEquals(List.of("g"), expected.get(tenant + "/d3").groups());
        assertEquals(false, expected.get(tenant + "/d2").enabled());
    }
}
