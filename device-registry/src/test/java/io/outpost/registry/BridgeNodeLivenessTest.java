package io.outpost.registry;

import static io.outpost.registry.RegistryApi.as;
import static io.outpost.registry.RegistryApi.devices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import io.outpost.contracts.BridgeNodeEventType;
import io.outpost.contracts.SessionEventType;
import io.outpost.testsupport.FakeBridge;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A bridge node that dies without a word (SIGKILL) publishes no DISCONNECTED for its devices; its heartbeats stop.
 * The registry then shows those devices offline, and a node that starts again ends what its previous life left.
 * Session events come from {@link FakeBridge} as node "node-test"; each test uses its own node id for heartbeats only
 * where the sessions are its own.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class BridgeNodeLivenessTest {

    @Test
    void devicesOfANodeThatFellSilentShowOfflineWithinThreeHeartbeats() {
        // given a device online through a node that sent heartbeats every 300 ms
        String tenant = RegistryApi.newTenant();
        as(tenant, "tenant-admin").body(Map.of("id", "van")).post(devices(tenant)).then().statusCode(201);
        Instant started = Instant.now().minusSeconds(3600);
        FakeBridge.node(FakeBridge.NODE, BridgeNodeEventType.STARTED, started, 300);
        FakeBridge.session(tenant, "van", SessionEventType.CONNECTED, "session-1");
        // The node keeps beating until the device is seen online: a loaded machine may take longer than three beats.
        awaitConnection(tenant, "van", c -> {
            FakeBridge.node(FakeBridge.NODE, BridgeNodeEventType.ALIVE, started, 300);
            return c.getBoolean("online");
        });
        // when the node sends nothing more (it was killed)
        long silentSince = System.nanoTime();
        // then the device shows offline within three intervals and the registry's sweep, with its session kept
        JsonPath connection = awaitConnection(tenant, "van", c -> !c.getBoolean("online"));
        assertEquals("session-1", connection.getString("sessionId"));
        assertEquals(true, Duration.ofNanos(System.nanoTime() - silentSince).compareTo(Duration.ofSeconds(10)) < 0,
                "offline within 10 s");
    }

    @Test
    void nodeThatStartsAgainEndsTheSessionsOfItsPreviousLife() {
        // given a device online through a node that started an hour ago
        String tenant = RegistryApi.newTenant();
        String node = "node-" + tenant;
        as(tenant, "tenant-admin").body(Map.of("id", "van")).post(devices(tenant)).then().statusCode(201);
        FakeBridge.node(node, BridgeNodeEventType.STARTED, Instant.now().minusSeconds(3600), 60_000);
        FakeBridge.sessionOn(node, tenant, "van", SessionEventType.CONNECTED, "session-1", Instant.now());
        awaitConnection(tenant, "van", c -> c.getBoolean("online"));
        // when the same node id starts again (./outpost up after a SIGKILL)
        FakeBridge.node(node, BridgeNodeEventType.STARTED, Instant.now().plusMillis(1), 60_000);
        // then the device's old session is over
        awaitConnection(tenant, "van", c -> !c.getBoolean("online"));
    }

    private static JsonPath awaitConnection(String tenant, String device, Predicate<JsonPath> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonPath connection = null;
        while (System.nanoTime() < deadline) {
            connection = as(tenant, "tenant-viewer").get(devices(tenant) + "/" + device).then().statusCode(200)
                    .extract().jsonPath().setRootPath("connection");
            if (connection.get() != null && condition.test(connection)) {
                return connection;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("connection of " + device + " never as expected: "
                + (connection == null ? "none" : connection.prettify()));
    }
}
