package io.outpost.command;

import static io.outpost.command.Api.as;
import static io.outpost.command.Api.command;
import static io.outpost.command.Api.commands;
import static io.outpost.command.Api.operator;
import static io.outpost.command.Api.send;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.outpost.command.service.CommandService;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The REST contract: validation, device checks, idempotency, the mailbox bound, lists. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class CommandApiTest {
    @Inject
    DeviceDirectory directory;
    @Inject
    CommandService service;

    String tenant;

    @BeforeEach
    void tenantWithADevice() {
        tenant = Api.newTenant();
        Api.device(directory, tenant, "truck-7", true);
    }

    static Stream<Arguments> invalidRequests() {
        String big = Base64.getEncoder().encodeToString(new byte[131_073]);
        return Stream.of(
                Arguments.of(Map.of(), "name"),
                Arguments.of(Map.of("name", ""), "name"),
                Arguments.of(Map.of("name", "open/all"), "name"),
                Arguments.of(Map.of("name", "open#"), "name"),
                Arguments.of(Map.of("name", "x", "ttl", "PT0S"), "ttl"),
                Arguments.of(Map.of("name", "x", "ttl", "-PT1M"), "ttl"),
                Arguments.of(Map.of("name", "x", "ttl", "P8D"), "ttl"),
                Arguments.of(Map.of("name", "x", "ttl", "soon"), "ttl"),
                Arguments.of(Map.of("name", "x", "replyTimeout", "0s"), "replyTimeout"),
                Arguments.of(Map.of("name", "x", "replyTimeout", "P2D"), "replyTimeout"),
                Arguments.of(Map.of("name", "x", "payloadBase64", "not base64!", "contentType", "application/octet-stream"),
                        "payloadBase64"),
                Arguments.of(Map.of("name", "x", "payloadBase64", "AQID"), "contentType"),
                Arguments.of(Map.of("name", "x", "payloadBase64", "AQID", "payload", Map.of(), "contentType", "a/b"),
                        "payloadBase64"),
                Arguments.of(Map.of("name", "x", "payloadBase64", "AQID", "contentType", "nonsense"), "contentType"),
                Arguments.of(Map.of("name", "x", "payload", Map.of("a", 1), "contentType", "text/plain"), "contentType"),
                Arguments.of(Map.of("name", "x", "payloadBase64", big, "contentType", "application/octet-stream"),
                        "payloadBase64"),
                Arguments.of(Map.of("name", "x", "tll", "PT1M"), "tll"),
                Arguments.of(Map.of("name", "x", "ttl", 60), "ttl"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("invalidRequests")
    void invalidFieldIsA400NamingIt(Map<String, Object> body, String field) {
        operator(tenant).body(body).post(commands(tenant, "truck-7"))
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItem(field));
    }

    @Test
    void everyInvalidFieldIsReportedAtOnce() {
        operator(tenant).body(Map.of("name", "a b", "ttl", "P30D", "replyTimeout", "never"))
                .post(commands(tenant, "truck-7"))
                .then().statusCode(400).body("errors.field", equalTo(List.of("name", "ttl", "replyTimeout")));
    }

    @Test
    void invalidQueryAndHeaderValuesAreA400NamingThem() {
        operator(tenant).body(Map.of("name", "x")).queryParam("wait", "2m").post(commands(tenant, "truck-7"))
                .then().statusCode(400).body("errors[0].field", equalTo("wait"));
        operator(tenant).body(Map.of("name", "x")).queryParam("wait", "whenever").post(commands(tenant, "truck-7"))
                .then().statusCode(400).body("errors[0].field", equalTo("wait"));
        operator(tenant).body(Map.of("name", "x")).header("Idempotency-Key", "has spaces in it")
                .post(commands(tenant, "truck-7"))
                .then().statusCode(400).body("errors[0].field", equalTo("Idempotency-Key"));
        as(tenant, "tenant-viewer").queryParam("limit", 0).get(commands(tenant, "truck-7"))
                .then().statusCode(400).body("errors[0].field", equalTo("limit"));
        as(tenant, "tenant-viewer").queryParam("state", "DONE").get("/api/v1/tenants/" + tenant + "/commands")
                .then().statusCode(400).body("errors[0].field", equalTo("state"));
        as(tenant, "tenant-viewer").queryParam("cursor", "bm9wZQ").get("/api/v1/tenants/" + tenant + "/commands")
                .then().statusCode(400).body("errors[0].field", equalTo("cursor"));
        operator(tenant).body("{\"name\": ").post(commands(tenant, "truck-7"))
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void unknownDeviceIsA404AndDisabledDeviceA409() {
        Api.device(directory, tenant, "switched-off", false);
        operator(tenant).body(Map.of("name", "x")).post(commands(tenant, "no-such-device"))
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("device no-such-device not found"));
        operator(tenant).body(Map.of("name", "x")).post(commands(tenant, "switched-off"))
                .then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void unknownCommandIsA404() {
        as(tenant, "tenant-viewer").get(command(tenant, "0192f3a4-7c1e-7d2a-9b3c-4d5e6f708192"))
                .then().statusCode(404).contentType("application/problem+json");
        operator(tenant).delete(command(tenant, "0192f3a4-7c1e-7d2a-9b3c-4d5e6f708192")).then().statusCode(404);
    }

    @Test
    void sameIdempotencyKeyReturnsTheSameCommandAndADifferentBodyIsA409() {
        Map<String, Object> body = Map.of("name", "unlock", "payload", Map.of("doors", "all"));
        // when the same request is sent twice with one key
        Response first = operator(tenant).header("Idempotency-Key", "order-4711").body(body)
                .post(commands(tenant, "truck-7"));
        Response retry = operator(tenant).header("Idempotency-Key", "order-4711").body(body)
                .post(commands(tenant, "truck-7"));
        // then the retry names the same command, marked as a replay
        first.then().statusCode(202);
        retry.then().statusCode(202).header("Idempotent-Replayed", "true");
        assertEquals((String) first.path("id"), retry.path("id"));
        assertEquals(first.header("Location"), retry.header("Location"));
        // and the key with another body is refused
        operator(tenant).header("Idempotency-Key", "order-4711")
                .body(Map.of("name", "unlock", "payload", Map.of("doors", "front")))
                .post(commands(tenant, "truck-7"))
                .then().statusCode(409).contentType("application/problem+json");
        // while the key is free on another device, and without a key every POST is a new command
        Api.device(directory, tenant, "truck-8", true);
        String other = operator(tenant).header("Idempotency-Key", "order-4711").body(body)
                .post(commands(tenant, "truck-8")).then().statusCode(202).extract().path("id");
        assertNotEquals((String) first.path("id"), other);
        assertNotEquals(send(tenant, "truck-7", body), send(tenant, "truck-7", body));
        as(tenant, "tenant-viewer").get(commands(tenant, "truck-7")).then().body("items.size()", equalTo(3));
    }

    @Test
    void replayOfAFinishedCommandIsA200WithItsFinalState() {
        String id = operator(tenant).header("Idempotency-Key", "k-1").body(Map.of("name", "x"))
                .post(commands(tenant, "truck-7")).then().statusCode(202).extract().path("id");
        operator(tenant).delete(command(tenant, id)).then().statusCode(200);
        operator(tenant).header("Idempotency-Key", "k-1").body(Map.of("name", "x")).post(commands(tenant, "truck-7"))
                .then().statusCode(200).body("id", equalTo(id)).body("state", equalTo("CANCELLED"));
    }

    @Test
    void fullMailboxIsA429UntilACommandLeavesIt() {
        // given a device with as many pending commands as the bound (5 in tests)
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(send(tenant, "truck-7", "c" + i));
        }
        // when one more is sent, then it is refused and nothing is stored
        operator(tenant).body(Map.of("name", "one-too-many")).post(commands(tenant, "truck-7"))
                .then().statusCode(429).contentType("application/problem+json");
        as(tenant, "tenant-viewer").get(commands(tenant, "truck-7")).then().body("items.size()", equalTo(5));
        // and once one is cancelled there is room again
        operator(tenant).delete(command(tenant, ids.get(0))).then().statusCode(200);
        send(tenant, "truck-7", "now-it-fits");
    }

    @Test
    void anEmptyListIsAnEmptyPage() {
        as(tenant, "tenant-viewer").get(commands(tenant, "truck-7")).then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(0), "nextCursor", nullValue());
    }

    @Test
    void listsArePagedNewestFirstAndFilteredByStateAndDevice() {
        // given 4 commands for truck-7 (one cancelled) and 2 for truck-8
        Api.device(directory, tenant, "truck-8", true);
        List<String> truck7 = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            truck7.add(send(tenant, "truck-7", "c" + i));
        }
        List<String> truck8 = List.of(send(tenant, "truck-8", "a"), send(tenant, "truck-8", "b"));
        operator(tenant).delete(command(tenant, truck7.get(1))).then().statusCode(200);
        // when truck-7's list is read two at a time
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = as(tenant, "tenant-viewer").queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            Response page = request.get(commands(tenant, "truck-7"));
            page.then().statusCode(200).body("items[0].payload", nullValue()).body("items[0].history", nullValue());
            seen.addAll(page.path("items.id"));
            cursor = page.path("nextCursor");
            pages++;
        } while (cursor != null);
        // then every command came once, newest first
        assertEquals(List.of(truck7.get(3), truck7.get(2), truck7.get(1), truck7.get(0)), seen);
        assertEquals(2, pages);
        // and the filters select by state and device
        String tenantList = "/api/v1/tenants/" + tenant + "/commands";
        as(tenant, "tenant-viewer").queryParam("state", "CANCELLED").get(tenantList)
                .then().body("items.id", equalTo(List.of(truck7.get(1))));
        as(tenant, "tenant-viewer").queryParam("state", "pending").queryParam("device", "truck-8").get(tenantList)
                .then().body("items.id", equalTo(List.of(truck8.get(1), truck8.get(0))));
        as(tenant, "tenant-viewer").get(tenantList).then().body("items.size()", equalTo(6))
                .body("nextCursor", nullValue());
        as(tenant, "tenant-viewer").queryParam("state", "PENDING,CANCELLED").get(commands(tenant, "truck-7"))
                .then().body("items.size()", equalTo(4));
    }

    @Test
    void finishedCommandIsDeletedAfterItsRetentionAndItsKeyWithIt() {
        // given a cancelled command with an idempotency key, finished eight days ago (retention: seven)
        String id = operator(tenant).header("Idempotency-Key", "old").body(Map.of("name", "x"))
                .post(commands(tenant, "truck-7")).then().statusCode(202).extract().path("id");
        String pending = send(tenant, "truck-7", "still-pending");
        operator(tenant).delete(command(tenant, id)).then().statusCode(200);
        QuarkusTransaction.requiringNew().run(() -> Command.update(
                "finishedAt = ?1 where id = ?2", Instant.now().minus(Duration.ofDays(8)), id));
        // when the retention sweep runs
        int deleted = service.purge(1000);
        // then the command, its history and its message are gone, and its key names a new command
        assertEquals(1, deleted);
        as(tenant, "tenant-viewer").get(command(tenant, id)).then().statusCode(404);
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> CommandTransition.count("commandId", id)));
        String again = operator(tenant).header("Idempotency-Key", "old").body(Map.of("name", "x"))
                .post(commands(tenant, "truck-7")).then().statusCode(202).extract().path("id");
        assertNotEquals(id, again);
        as(tenant, "tenant-viewer").get(command(tenant, pending)).then().statusCode(200);
    }

    @Test
    void commandViewShowsPayloadTtlAndReplyTimeout() {
        Map<String, Object> body = new HashMap<>(Map.of("name", "set-speed", "payload", Map.of("kmh", 80),
                "ttl", "10m", "replyTimeout", "PT45S"));
        String id = send(tenant, "truck-7", body);
        as(tenant, "tenant-viewer").get(command(tenant, id)).then().statusCode(200)
                .body("name", equalTo("set-speed"))
                .body("device", equalTo("truck-7"))
                .body("tenant", equalTo(tenant))
                .body("contentType", equalTo("application/json"))
                .body("payload.kmh", equalTo(80))
                .body("replyTimeout", equalTo("PT45S"))
                .body("history.size()", equalTo(1))
                .body("history[0].state", equalTo("PENDING"))
                .body("history[0].reason", equalTo("accepted from user-of-" + tenant));
    }
}
