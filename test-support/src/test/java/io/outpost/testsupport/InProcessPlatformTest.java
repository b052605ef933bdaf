package io.outpost.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.MessageKind;
import io.outpost.contracts.OutboundMessage;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class InProcessPlatformTest {

    @Inject
    @Channel("probe-out")
    Emitter<byte[]> probeOut;

    @Inject
    CloudEventProbe probe;

    @Test
    void outboundCloudEventKeepsKeyHeadersAndPayloadThroughKafka() throws Exception {
        // given an outbound message built from the contract types
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        OutboundMessage message = new OutboundMessage(UUID.randomUUID().toString(), "acme", "truck-7",
                MessageKind.COMMAND, "commands/request/c-1/unlock", now, now.plusSeconds(3600),
                "application/json", "{\"doors\":\"all\"}".getBytes(StandardCharsets.UTF_8));

        // when it is sent in CloudEvents binary mode through the in-process broker
        probeOut.send(Message.of(message.payload()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(message.tenant() + "/" + message.device())
                .withHeaders(List.of(
                        header(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0),
                        header(CloudEventHeaders.ID, message.id()),
                        header(CloudEventHeaders.SOURCE, "/outpost/test-support"),
                        header(CloudEventHeaders.TYPE, CloudEventTypes.OUTBOUND_COMMAND),
                        header(CloudEventHeaders.TIME, message.createdAt().toString()),
                        header(CloudEventHeaders.CONTENT_TYPE, message.contentType()),
                        header(CloudEventHeaders.TENANT, message.tenant()),
                        header(CloudEventHeaders.DEVICE, message.device()),
                        header(CloudEventHeaders.MQTT_TOPIC, message.mqttTopic()),
                        header(CloudEventHeaders.EXPIRES_AT, message.expiresAt().toString())))
                .build()));

        // then the consumer sees the same key, headers and untouched payload
        ConsumerRecord<String, byte[]> record = receiveMessage(message.id());
        assertEquals("acme/truck-7", record.key());
        assertArrayEquals(message.payload(), record.value());
        Headers headers = record.headers();
        assertEquals("1.0", text(headers, CloudEventHeaders.SPEC_VERSION));
        assertEquals(CloudEventTypes.OUTBOUND_COMMAND, text(headers, CloudEventHeaders.TYPE));
        assertEquals("application/json", text(headers, CloudEventHeaders.CONTENT_TYPE));
        assertEquals("truck-7", text(headers, CloudEventHeaders.DEVICE));
        assertEquals("commands/request/c-1/unlock", text(headers, CloudEventHeaders.MQTT_TOPIC));
        assertEquals(message.expiresAt(), Instant.parse(text(headers, CloudEventHeaders.EXPIRES_AT)));
    }

    @Test
    void panacheEntityRoundTripsThroughPostgres() {
        // given a stored entity
        Instant created = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Long id = QuarkusTransaction.requiringNew().call(() -> {
            ProbeRecord record = new ProbeRecord();
            record.name = "round-trip";
            record.createdAt = created;
            record.persist();
            return record.id;
        });

        // when it is read back in a new transaction
        ProbeRecord loaded = QuarkusTransaction.requiringNew().call(() -> ProbeRecord.findById(id));

        // then every field survived, and the server really is PostgreSQL
        assertEquals("round-trip", loaded.name);
        assertEquals(created, loaded.createdAt);
        String version = QuarkusTransaction.requiringNew().call(() -> (String) ProbeRecord.getEntityManager()
                .createNativeQuery("select version()").getSingleResult());
        assertEquals(true, version.startsWith("PostgreSQL"), version);
    }

    @Test
    void protectedEndpointAcceptsMintedTokenAndRefusesNone() {
        given().when().get("/probe/whoami").then().statusCode(401);

        given().auth().oauth2(TestTokens.forTenant("acme", "tenant-viewer"))
                .when().get("/probe/whoami")
                .then().statusCode(200).body(equalTo("user-of-acme [\"acme\"] [tenant-viewer]"));
    }

    @Test
    void tokenSignedByAnotherKeyIsRefused() {
        String forged = TestTokens.forTenant("acme", "platform-admin");
        String tampered = forged.substring(0, forged.lastIndexOf('.') + 1) + "AAAA";

        given().auth().oauth2(tampered).when().get("/probe/whoami").then().statusCode(401);
    }

    private ConsumerRecord<String, byte[]> receiveMessage(String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            ConsumerRecord<String, byte[]> record = probe.poll(1, TimeUnit.SECONDS);
            if (record != null && id.equals(text(record.headers(), CloudEventHeaders.ID))) {
                return record;
            }
        }
        throw new AssertionError("record " + id + " not received within 30 s");
    }

    private static RecordHeader header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        assertNotNull(header, "header " + key);
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
