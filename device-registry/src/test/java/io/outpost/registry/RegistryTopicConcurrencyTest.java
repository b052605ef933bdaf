package io.outpost.registry;

import static io.outpost.registry.RegistryApi.as;
import static io.outpost.registry.RegistryApi.devices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.RegistryDevice;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The registry outbox under concurrency: transactions commit out of sequence order, so a relay that deleted
 * "everything up to the highest sequence sent" lost records whose lower sequence committed after its read (29 of
 * 3,000 devices once), among them disables and credential revocations. Many writers at once, over several rounds,
 * and every time the compacted topic must equal the database.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class RegistryTopicConcurrencyTest {
    private static final int ROUNDS = 4;
    private static final int WRITERS = 16;
    private static final int DEVICES_PER_WRITER = 12;

    @Inject
    ObjectMapper json;

    @Test
    void compactedTopicEqualsTheDatabaseAfterManyConcurrentWritersEveryRound() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            // given a fresh tenant
            String tenant = RegistryApi.newTenant();
            // when 16 writers create, update, disable, issue and revoke credentials and delete at once, beside a
            // bulk import
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(CompletableFuture.runAsync(() -> write(tenant, writer), pool));
            }
            writers.add(CompletableFuture.runAsync(() -> bulkImport(tenant), pool));
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get();
            pool.shutdown();
            // then the latest record per device on the topic equals the database
            Map<String, RegistryDevice> expected = RegistryTopicView.database(tenant);
            Map<String, RegistryDevice> onTopic = RegistryTopicView.awaitTopic(json, tenant, expected,
                    Duration.ofSeconds(60));
            assertEquals(WRITERS * (DEVICES_PER_WRITER - 1) + 100, expected.size(), "devices in round " + round);
            assertEquals(expected, onTopic, "round " + round);
        }
    }

    /** One writer's share: its own devices, each changed several ways; the last one deleted again. */
    private static void write(String tenant, int writer) {
        for (int i = 0; i < DEVICES_PER_WRITER; i++) {
            String device = "w" + writer + "-d" + i;
            as(tenant, "tenant-admin").body(Map.of("id", device, "labels", Map.of("n", "0"), "credential", Map.of()))
                    .post(devices(tenant)).then().statusCode(201);
            switch (i % 4) {
                case 0 -> as(tenant, "tenant-admin").body(Map.of("enabled", false, "labels", Map.of("n", "disabled")))
                        .put(devices(tenant) + "/" + device).then().statusCode(200);
                case 1 -> {
                    String credential = JsonPath.from(as(tenant, "tenant-admin").body(Map.of())
                            .post(devices(tenant) + "/" + device + "/credentials").then().statusCode(201)
                            .extract().asString()).getString("id");
                    as(tenant, "tenant-admin").delete(devices(tenant) + "/" + device + "/credentials/" + credential)
                            .then().statusCode(204);
                }
                case 2 -> as(tenant, "tenant-admin").body(Map.of()).post(devices(tenant) + "/" + device
                        + "/credentials").then().statusCode(201);
                default -> as(tenant, "tenant-admin").body(Map.of("labels", Map.of("n", "updated")))
                        .put(devices(tenant) + "/" + device).then().statusCode(200);
            }
        }
        as(tenant, "tenant-admin").delete(devices(tenant) + "/w" + writer + "-d" + (DEVICES_PER_WRITER - 1))
                .then().statusCode(204);
    }

    private static void bulkImport(String tenant) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            body.append("{\"id\":\"imported-").append(i).append("\",\"labels\":{\"n\":\"imported\"}}\n");
        }
        as(tenant, "tenant-admin").contentType("application/x-ndjson").body(body.toString())
                .post(devices(tenant) + "/import").then().statusCode(200);
    }
}
