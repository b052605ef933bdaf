package io.outpost.registry;

import static io.outpost.registry.RegistryApi.as;
import static io.outpost.registry.RegistryApi.devices;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.DeviceSessionEvent;
import io.outpost.contracts.SessionEventType;
import io.outpost.contracts.Topics;
import io.outpost.testsupport.InProcessKafka;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class ConnectionStatusTest {
    @Inject
    ObjectMapper json;

    @Test
    void lateDisconnectFromTheOldNodeDoesNotMarkAReconnectedDeviceOffline() throws Exception {
        // given a device that connects on node A, then reconnects on node B
        String tenant = RegistryApi.newTenant();
        as(tenant, "tenant-admin").body(Map.of("id", "van-1")).post(devices(tenant)).then().statusCode(201);
        Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
        publish(event(tenant, SessionEventType.CONNECTED, "session-a", "node-a", t0, null));
        publish(event(tenant, SessionEventType.CONNECTED, "session-b", "node-b", t0.plusSeconds(5), null));

        // when node A's DISCONNECTED for the old session arrives late
        publish(event(tenant, SessionEventType.DISCONNECTED, "session-a", "node-a", t0.plusSeconds(6), "takeover"));
        publish(event(tenant, SessionEventType.SUBSCRIBED, "session-b", "node-b", t0.plusSeconds(7), null));

        // then the device is still online through node B
        JsonPath connection = awaitConnection(tenant, "van-1", t0.plusSeconds(7));
        org.junit.jupiter.api.Assertions.assertEquals(true, connection.getBoolean("online"));
        org.junit.jupiter.api.Assertions.assertEquals("node-b", connection.getString("node"));
        org.junit.jupiter.api.Assertions.assertEquals("session-b", connection.getString("sessionId"));

        // and its own session's DISCONNECTED does take it offline
        publish(event(tenant, SessionEventType.DISCONNECTED, "session-b", "node-b", t0.plusSeconds(9), "client"));
        JsonPath offline = awaitConnection(tenant, "van-1", t0.plusSeconds(9));
        org.junit.jupiter.api.Assertions.assertEquals(false, offline.getBoolean("online"));
        as(tenant, "tenant-viewer").get(devices(tenant) + "?status=online").then().body("items.size()",
                org.hamcrest.Matchers.equalTo(0));
    }

    private static DeviceSessionEvent event(String tenant, SessionEventType type, String session, String node,
            Instant at, String reason) {
        return new DeviceSessionEvent(tenant, "van-1", type, session, node, at, reason, "5.0", "10.0.0.7:51234");
    }

    private void publish(DeviceSessionEvent event) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, InProcessKafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.DEVICE_SESSIONS, event.tenant() + "/" + event.device(),
                    json.writeValueAsString(event).getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
        }
    }

    /** Polls the device until its connection was last seen at the given time, i.e. the last event was applied. */
    private static JsonPath awaitConnection(String tenant, String device, Instant lastSeen) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonPath connection = null;
        while (System.nanoTime() < deadline) {
            connection = as(tenant, "tenant-viewer").get(devices(tenant) + "/" + device).then().statusCode(200)
                    .extract().jsonPath().setRootPath("connection");
            if (lastSeen.toString().equals(connection.getString("lastSeen"))) {
                return connection;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("connection never reached lastSeen " + lastSeen + ": " + connection.prettify());
    }
}
