package io.outpost.command;

import static io.outpost.command.Api.as;
import static io.outpost.command.Api.awaitState;
import static io.outpost.command.Api.commands;
import static io.outpost.command.Api.get;
import static io.outpost.command.Api.history;
import static io.outpost.command.Api.operator;
import static io.outpost.command.Api.send;
import static io.outpost.command.Tap.header;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.CommandEvent;
import io.outpost.contracts.CommandState;
import io.outpost.contracts.DeliveryStatus;
import io.outpost.contracts.Topics;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.FakeBridge;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** A device that is online: the bridge (played on Kafka) delivers, acknowledges and replies. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class CommandDeliveryTest {
    @Inject
    DeviceDirectory directory;
    @Inject
    ObjectMapper json;
    @Inject
    DataSource dataSource;

    String tenant;

    @BeforeEach
    void tenantWithAnOnlineDevice() {
        Tap.outbound();
        Tap.events();
        tenant = Api.newTenant();
        Api.device(directory, tenant, "truck-7", true);
        Api.online(dataSource, tenant, "truck-7");
    }

    @Test
    void commandIsPublishedToTheOutboundTopicWithCloudEventHeaders() throws Exception {
        // when an operator sends a command
        Response response = operator(tenant).body(Map.of("name", "unlock", "payload", Map.of("doors", "all"),
                "ttl", "PT5M")).post(commands(tenant, "truck-7"));
        // then it is accepted as PENDING with its expiry and location
        response.then().statusCode(202).body("state", equalTo("PENDING")).body("expiresAt", notNullValue());
        String id = response.path("id");
        assertTrue(response.header("Location").endsWith("/api/v1/tenants/" + tenant + "/commands/" + id));
        Instant created = Instant.parse(response.path("createdAt"));
        assertEquals(created.plus(Duration.ofMinutes(5)), Instant.parse(response.path("expiresAt")));
        // and the bridge finds it on outpost.outbound.v1, keyed by the device, in CloudEvents binary mode
        Await.until("the command on the outbound topic", () -> Tap.outbound().ids(tenant, "truck-7").contains(id));
        ConsumerRecord<String, byte[]> record = Tap.outbound().of(tenant, "truck-7").get(0);
        assertEquals(tenant + "/truck-7", record.key());
        assertEquals("1.0", header(record, CloudEventHeaders.SPEC_VERSION));
        assertEquals(CloudEventTypes.OUTBOUND_COMMAND, header(record, CloudEventHeaders.TYPE));
        assertEquals("/outpost/command-service", header(record, CloudEventHeaders.SOURCE));
        assertEquals(tenant, header(record, CloudEventHeaders.TENANT));
        assertEquals("truck-7", header(record, CloudEventHeaders.DEVICE));
        assertEquals("commands/request/" + id + "/unlock", header(record, CloudEventHeaders.MQTT_TOPIC));
        assertEquals(Instant.parse(response.path("expiresAt")), Instant.parse(header(record, CloudEventHeaders.EXPIRES_AT)));
        assertEquals(created, Instant.parse(header(record, CloudEventHeaders.TIME)));
        assertEquals("application/json", header(record, CloudEventHeaders.CONTENT_TYPE));
        assertEquals(json.readTree("{\"doors\":\"all\"}"), json.readTree(record.value()));
    }

    @Test
    void binaryPayloadReachesTheDeviceUntouched() {
        // when a command carries bytes
        byte[] bytes = { 0, 1, 2, (byte) 0xff };
        String id = send(tenant, "truck-7", Map.of("name", "firmware-chunk", "payloadBase64",
                java.util.Base64.getEncoder().encodeToString(bytes), "contentType", "application/octet-stream"));
        // then the outbound record holds exactly them, with their media type
        Await.until("the command on the outbound topic", () -> Tap.outbound().ids(tenant, "truck-7").contains(id));
        ConsumerRecord<String, byte[]> record = Tap.outbound().of(tenant, "truck-7").get(0);
        assertArrayEquals(bytes, record.value());
        assertEquals("application/octet-stream", header(record, CloudEventHeaders.CONTENT_TYPE));
        get(tenant, id).then().body("payloadBase64", equalTo("AAEC/w==")).body("contentType",
                equalTo("application/octet-stream"));
    }

    @Test
    void deliveredAndAnsweredCommandSucceedsWithTheDevicesResult() throws Exception {
        // given a command the device acknowledged
        String id = send(tenant, "truck-7", Map.of("name", "unlock", "payload", Map.of("doors", "all"),
                "replyTimeout", "PT30S"));
        FakeBridge.receipt(tenant, "truck-7", id, DeliveryStatus.DELIVERED);
        awaitState(tenant, id, "DELIVERED");
        get(tenant, id).then().body("deliveredAt", notNullValue()).body("replyDeadline", notNullValue());
        // when the device replies
        FakeBridge.reply(tenant, "truck-7", id, "succeeded", "application/json", "{\"unlocked\":4}");
        // then the command succeeded with the device's result, and its history shows every step
        awaitState(tenant, id, "SUCCEEDED");
        get(tenant, id).then()
                .body("result.status", equalTo("succeeded"))
                .body("result.contentType", equalTo("application/json"))
                .body("result.payload.unlocked", equalTo(4))
                .body("finishedAt", notNullValue())
                .body("history.state", equalTo(List.of("PENDING", "DELIVERED", "SUCCEEDED")))
                .body("history[1].reason", equalTo("acknowledged by the device on " + FakeBridge.NODE));
        // and product teams saw every transition on outpost.command-events.v1, in order
        Await.until("three events", () -> events(id).size() == 3);
        List<ConsumerRecord<String, byte[]>> events = events(id);
        assertEquals(List.of(id + "-1", id + "-2", id + "-3"),
                events.stream().map(r -> header(r, CloudEventHeaders.ID)).toList());
        assertEquals(CloudEventTypes.COMMAND_EVENT, header(events.get(2), CloudEventHeaders.TYPE));
        assertEquals(tenant + "/truck-7", events.get(2).key());
        CommandEvent last = json.readValue(events.get(2).value(), CommandEvent.class);
        assertEquals(CommandState.SUCCEEDED, last.state());
        assertEquals(CommandState.DELIVERED, last.previousState());
        assertEquals("{\"unlocked\":4}", new String(last.result().payload(), StandardCharsets.UTF_8));
        assertNull(json.readValue(events.get(0).value(), CommandEvent.class).previousState());
    }

    @Test
    void waitReturnsTheFinalStateWithTheDevicesResult() {
        // given a device that acknowledges and answers whatever it gets
        CompletableFuture<Void> device = CompletableFuture.runAsync(() -> {
            Await.until("a command for the device", () -> !Tap.outbound().ids(tenant, "truck-7").isEmpty());
            String id = Tap.outbound().ids(tenant, "truck-7").get(0);
            FakeBridge.receipt(tenant, "truck-7", id, DeliveryStatus.DELIVERED);
            FakeBridge.reply(tenant, "truck-7", id, null, "application/json", "{\"horn\":\"tooted\"}");
        });
        // when the caller sends a command and waits up to 5 s
        long start = System.nanoTime();
        Response response = operator(tenant).body(Map.of("name", "toot")).queryParam("wait", "5s")
                .post(commands(tenant, "truck-7"));
        // then the answer is the final state with the result, well before the wait ended
        response.then().statusCode(200).body("state", equalTo("SUCCEEDED"))
                .body("result.payload.horn", equalTo("tooted"));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(4)) < 0);
        device.join();
    }

    @Test
    void waitEndsWithTheCurrentStateWhenNoReplyComes() {
        // when nobody acknowledges the command within the wait
        long start = System.nanoTime();
        Response response = operator(tenant).body(Map.of("name", "toot")).queryParam("wait", "1s")
                .post(commands(tenant, "truck-7"));
        // then the caller gets the pending command after about the wait
        response.then().statusCode(202).body("state", equalTo("PENDING"));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofMillis(950)) >= 0);
    }

    @Test
    void waitingRequestIsReleasedWhenAnotherInstanceFinishesTheCommand() {
        // given another instance that finishes the command: here, only its event on outpost.command-events.v1
        CompletableFuture<Void> otherInstance = CompletableFuture.runAsync(() -> {
            Await.until("a command for the device", () -> !Tap.outbound().ids(tenant, "truck-7").isEmpty());
            String id = Tap.outbound().ids(tenant, "truck-7").get(0);
            Instant now = Instant.now();
            CommandEvent event = new CommandEvent(id, tenant, "truck-7", "toot", CommandState.SUCCEEDED,
                    CommandState.DELIVERED, now, "the device replied", now, now.plusSeconds(60), now, null);
            try {
                FakeBridge.send(Topics.COMMAND_EVENTS, tenant, "truck-7", json.writeValueAsBytes(event),
                        CloudEventTypes.COMMAND_EVENT, "application/json", Map.of(CloudEventHeaders.SUBJECT, id));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // when a caller waits up to 10 s on this instance
        long start = System.nanoTime();
        Response response = operator(tenant).body(Map.of("name", "toot")).queryParam("wait", "10s")
                .post(commands(tenant, "truck-7"));
        // then the event wakes the request at once, which answers with the command as the database has it
        response.then().statusCode(202).body("state", equalTo("PENDING"));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(8)) < 0);
        otherInstance.join();
    }

    @Test
    void failureStatusInTheReplyTopicMakesTheCommandFailed() {
        String failed = send(tenant, "truck-7", "unlock");
        String http500 = send(tenant, "truck-7", "lock");
        FakeBridge.receipt(tenant, "truck-7", failed, DeliveryStatus.DELIVERED);
        FakeBridge.receipt(tenant, "truck-7", http500, DeliveryStatus.DELIVERED);
        awaitState(tenant, http500, "DELIVERED");
        // when the device reports failures, as a word and as an HTTP-style code
        FakeBridge.reply(tenant, "truck-7", failed, "failed", "text/plain", "door jammed");
        FakeBridge.reply(tenant, "truck-7", http500, "500", "text/plain", "oops");
        // then both commands failed, with what the device said
        awaitState(tenant, failed, "FAILED");
        awaitState(tenant, http500, "FAILED");
        get(tenant, failed).then().body("result.status", equalTo("failed"))
                .body("result.payloadBase64", equalTo(java.util.Base64.getEncoder()
                        .encodeToString("door jammed".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void replyToAPendingCommandCountsAsDeliveredAndAnswered() {
        // given a command whose delivery receipt is late
        String id = send(tenant, "truck-7", "unlock");
        // when the reply comes first
        FakeBridge.reply(tenant, "truck-7", id, "succeeded", "application/json", "{}");
        // then the command is delivered and answered
        awaitState(tenant, id, "SUCCEEDED");
        assertEquals(List.of("PENDING", "DELIVERED", "SUCCEEDED"), history(tenant, id));
        // and the late receipt changes nothing
        FakeBridge.receipt(tenant, "truck-7", id, DeliveryStatus.DELIVERED);
        Await.pause(500);
        assertEquals(List.of("PENDING", "DELIVERED", "SUCCEEDED"), history(tenant, id));
    }

    @Test
    void replyToAnUnknownOrAnotherDevicesCommandIsIgnoredAndCounted() {
        // given a command for truck-7 and another device of the tenant
        Api.device(directory, tenant, "truck-8", true);
        String id = send(tenant, "truck-7", "unlock");
        double unknownBefore = counter("outpost_command_responses_total", "unknown");
        double foreignBefore = counter("outpost_command_responses_total", "foreign");
        // when truck-8 answers truck-7's command, and truck-7 answers a command that does not exist
        FakeBridge.reply(tenant, "truck-8", id, "succeeded", "application/json", "{}");
        FakeBridge.reply(tenant, "truck-7", UUID.randomUUID().toString(), null, "application/json", "{}");
        // then both are counted and ignored
        Await.until("both replies counted", () -> counter("outpost_command_responses_total", "unknown") > unknownBefore
                && counter("outpost_command_responses_total", "foreign") > foreignBefore);
        assertEquals("PENDING", Api.state(tenant, id));
    }

    @Test
    void deliveredCommandWithoutAReplyTimesOutAndALateReplyIsIgnored() {
        // given a delivered command with a 1 s reply timeout
        String id = send(tenant, "truck-7", Map.of("name", "unlock", "replyTimeout", "1s"));
        FakeBridge.receipt(tenant, "truck-7", id, DeliveryStatus.DELIVERED);
        awaitState(tenant, id, "DELIVERED");
        // when no reply comes in time
        awaitState(tenant, id, "TIMED_OUT");
        // then a late reply is ignored
        FakeBridge.reply(tenant, "truck-7", id, "succeeded", "application/json", "{}");
        Await.pause(500);
        get(tenant, id).then().body("state", equalTo("TIMED_OUT")).body("result", equalTo(null))
                .body("history.state", equalTo(List.of("PENDING", "DELIVERED", "TIMED_OUT")));
    }

    @Test
    void metricsCountAcceptedAndFinishedCommandsPerTenant() {
        String id = send(tenant, "truck-7", "unlock");
        operator(tenant).delete(Api.command(tenant, id)).then().statusCode(200);
        Await.until("counters of the tenant", () -> {
            String metrics = as(tenant, "tenant-viewer").get("/q/metrics").asString();
            return metrics.contains("outpost_commands_accepted_total{tenant=\"" + tenant + "\"} 1.0")
                    && metrics.contains("outpost_commands_finished_total{state=\"CANCELLED\",tenant=\"" + tenant
                            + "\"} 1.0");
        });
        String metrics = as(tenant, "tenant-viewer").get("/q/metrics").asString();
        assertTrue(metrics.contains("outpost_mailbox_outbox_pending"), "outbox gauge");
    }

    private List<ConsumerRecord<String, byte[]>> events(String id) {
        return Tap.events().of(tenant, "truck-7").stream()
                .filter(r -> id.equals(header(r, CloudEventHeaders.SUBJECT))).toList();
    }

    private double counter(String name, String outcome) {
        String prefix = name + "{outcome=\"" + outcome + "\",tenant=\"" + tenant + "\"} ";
        return as(tenant, "tenant-viewer").get("/q/metrics").asString().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()))).findFirst().orElse(0);
    }

}
