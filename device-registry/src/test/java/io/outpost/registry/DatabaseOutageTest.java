package io.outpost.registry;

import static io.outpost.registry.RegistryApi.as;
import static io.outpost.registry.RegistryApi.devices;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.outpost.contracts.BridgeNodeEventType;
import io.outpost.contracts.SessionEventType;
import io.outpost.testsupport.DatabaseOutage;
import io.outpost.testsupport.FakeBridge;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * PostgreSQL killed (SIGKILL) while a bridge node beats and devices connect, then restarted: the registry is never
 * restarted; REST answers 503 problem+json with Retry-After meanwhile, liveness stays up; afterwards the session
 * event sent during the outage is applied, and the live node is not taken for a lost one although its heartbeats
 * could not be stored for longer than three intervals.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class DatabaseOutageTest {
    private static final long INTERVAL_MILLIS = 500;

    @Test
    void sessionsAndHeartbeatsWaitOutADatabaseCrash() {
        String tenant = RegistryApi.newTenant();
        String node = "node-" + tenant;
        for (String device : new String[] {"van", "bus"}) {
            as(tenant, "tenant-admin").body(Map.of("id", device)).post(devices(tenant)).then().statusCode(201);
        }
        Instant started = Instant.now().minusSeconds(60);
        ScheduledExecutorService heart = Executors.newSingleThreadScheduledExecutor();
        try {
            heart.scheduleAtFixedRate(() -> FakeBridge.node(node, BridgeNodeEventType.ALIVE, started, INTERVAL_MILLIS),
                    0, INTERVAL_MILLIS / 2, TimeUnit.MILLISECONDS);
            FakeBridge.sessionOn(node, tenant, "van", SessionEventType.CONNECTED, "van-1", Instant.now());
            awaitOnline(tenant, "van", true);

            DatabaseOutage.ride(() -> {
                FakeBridge.sessionOn(node, tenant, "bus", SessionEventType.CONNECTED, "bus-1", Instant.now());
                as(tenant, "tenant-viewer").get(devices(tenant) + "/van").then().statusCode(503)
                        .contentType("application/problem+json").header("Retry-After", "5");
            });

            awaitOnline(tenant, "bus", true);
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).until(() -> online(tenant, "van"));
            given().get("/q/health/live").then().statusCode(200);
        } finally {
            heart.shutdownNow();
        }
    }

    private static void awaitOnline(String tenant, String device, boolean online) {
        await().atMost(Duration.ofSeconds(20)).until(() -> online(tenant, device), equalTo(online));
    }

    private static boolean online(String tenant, String device) {
        Boolean online = as(tenant, "tenant-viewer").get(devices(tenant) + "/" + device).then().statusCode(200)
                .extract().path("connection.online");
        return Boolean.TRUE.equals(online);
    }
}
