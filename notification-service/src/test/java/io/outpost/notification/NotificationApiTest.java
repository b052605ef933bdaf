package io.outpost.notification;

import static io.outpost.notification.Api.as;
import static io.outpost.notification.Api.notifications;
import static io.outpost.notification.Api.operator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.outpost.registryview.DeviceDirectory;
import io.outpost.registryview.GroupDirectory;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.outpost.testsupport.RegistryRecords;
import io.outpost.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The REST contract: validation, targets, idempotency, roles and tenants, lists. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class NotificationApiTest {
    @Inject
    DeviceDirectory devices;
    @Inject
    GroupDirectory groups;

    private String tenant;

    @BeforeEach
    void tenantWithDevicesAndGroups() {
        tenant = RegistryRecords.newTenant();
        Api.group(groups, tenant, "district-9");
        Api.group(groups, tenant, "empty");
        Api.device(devices, tenant, "lamp-1", List.of("district-9"));
        Api.device(devices, tenant, "lamp-2", List.of("district-9"));
        Api.device(devices, tenant, "truck-7", List.of());
    }

    @Test
    void aGroupNotificationIsAcceptedWithItsMembersAddressed() {
        String id = operator(tenant).body(Map.of("target", Map.of("group", "district-9"), "topic", "alerts/air",
                "payload", Map.of("level", "high"), "ttl", "2h"))
                .post(notifications(tenant)).then().statusCode(202)
                .header("Location", org.hamcrest.Matchers.containsString("/api/v1/tenants/" + tenant + "/notifications/"))
                .body("target.group", equalTo("district-9"), "topic", equalTo("alerts/air"),
                        "state", equalTo("ACTIVE"), "contentType", equalTo("application/json"),
                        "payload.level", equalTo("high"), "progress.addressed", equalTo(2),
                        "progress.delivered", equalTo(0), "progress.pending", equalTo(2))
                .extract().path("id");
        as(tenant, "tenant-viewer").get(notifications(tenant) + "/" + id).then().statusCode(200)
                .body("id", equalTo(id), "createdBy", notNullValue());
    }

    @Test
    void deviceFleetAndEmptyGroupTargets() {
        operator(tenant).body(Map.of("target", Map.of("device", "truck-7"), "topic", "road/closures",
                "payloadBase64", "AAEC", "contentType", "application/octet-stream"))
                .post(notifications(tenant)).then().statusCode(202)
                .body("progress.addressed", equalTo(1), "payloadBase64", equalTo("AAEC"));
        operator(tenant).body(Map.of("target", Map.of("fleet", true), "topic", "advisories"))
                .post(notifications(tenant)).then().statusCode(202)
                .body("target.fleet", equalTo(true), "progress.addressed", equalTo(3));
        operator(tenant).body(Map.of("target", Map.of("group", "empty"), "topic", "advisories"))
                .post(notifications(tenant)).then().statusCode(202).body("progress.addressed", equalTo(0));
    }

    @Test
    void everyFaultyFieldIsNamed() {
        operator(tenant).body(Map.of("target", Map.of("device", "truck-7", "group", "district-9"),
                "topic", "a/b/c/d", "payload", Map.of("x", 1), "payloadBase64", "AA==", "ttl", "8d"))
                .post(notifications(tenant)).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("target", "topic", "payloadBase64", "ttl"));
        operator(tenant).body(Map.of("topic", "alerts/+", "payloadBase64", "not base64!", "ttl", "soon"))
                .post(notifications(tenant)).then().statusCode(400)
                .body("errors.field", containsInAnyOrder("target", "topic", "payloadBase64", "contentType", "ttl"));
        operator(tenant).body(Map.of("target", Map.of("fleet", true), "topic", "x", "tll", "1h"))
                .post(notifications(tenant)).then().statusCode(400);
        operator(tenant).header("Idempotency-Key", "has space").body(Map.of("target", Map.of("fleet", true),
                "topic", "x")).post(notifications(tenant)).then().statusCode(400)
                .body("errors.field", hasItem("Idempotency-Key"));
    }

    @Test
    void unknownDeviceOrGroupIs404() {
        operator(tenant).body(Map.of("target", Map.of("device", "nobody"), "topic", "x"))
                .post(notifications(tenant)).then().statusCode(404).contentType("application/problem+json");
        operator(tenant).body(Map.of("target", Map.of("group", "nowhere"), "topic", "x"))
                .post(notifications(tenant)).then().statusCode(404);
        as(tenant, "tenant-viewer").get("/api/v1/tenants/" + tenant + "/devices/nobody/notifications")
                .then().statusCode(404);
        as(tenant, "tenant-viewer").get(notifications(tenant) + "/no-such-id").then().statusCode(404);
    }

    @Test
    void sixteenConcurrentRetriesWithOneIdempotencyKeyCreateOneNotification() throws Exception {
        Map<String, Object> body = Map.of("target", Map.of("group", "district-9"), "topic", "alerts/air");
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(() -> operator(tenant).header("Idempotency-Key", "alert-42").body(body)
                        .post(notifications(tenant)).then().statusCode(org.hamcrest.Matchers.oneOf(200, 202))
                        .extract().path("id"));
            }
            Set<String> ids = new HashSet<>();
            for (Future<String> call : callers.invokeAll(calls)) {
                ids.add(call.get());
            }
            assertEquals(1, ids.size(), "one notification for one key: " + ids);
        } finally {
            callers.shutdown();
        }
        operator(tenant).header("Idempotency-Key", "alert-42").body(body).post(notifications(tenant))
                .then().statusCode(200).header("Idempotent-Replayed", "true");
        operator(tenant).header("Idempotency-Key", "alert-42")
                .body(Map.of("target", Map.of("group", "district-9"), "topic", "alerts/other"))
                .post(notifications(tenant)).then().statusCode(409);
        as(tenant, "tenant-viewer").queryParam("target", "group:district-9").get(notifications(tenant))
                .then().statusCode(200).body("items.size()", equalTo(1));
    }

    @Test
    void rolesAndTenants() {
        Map<String, Object> body = Map.of("target", Map.of("fleet", true), "topic", "x");
        String id = as(tenant, "tenant-admin").body(body).post(notifications(tenant)).then().statusCode(202)
                .extract().path("id");
        as(tenant, "tenant-viewer").body(body).post(notifications(tenant)).then().statusCode(403);
        as(tenant, "tenant-viewer").delete(notifications(tenant) + "/" + id).then().statusCode(403);
        as(tenant, "tenant-viewer").get(notifications(tenant) + "/" + id).then().statusCode(200);
        as(tenant, "tenant-viewer").get(notifications(tenant)).then().statusCode(200);
        as(tenant, "tenant-viewer").get("/api/v1/tenants/" + tenant + "/devices/truck-7/notifications")
                .then().statusCode(200);

        String other = RegistryRecords.newTenant();
        as(other, "tenant-admin").get(notifications(tenant) + "/" + id).then().statusCode(404);
        as(other, "tenant-admin").body(body).post(notifications(tenant)).then().statusCode(404);
        as(other, "tenant-admin").delete(notifications(tenant) + "/" + id).then().statusCode(404);
        as(other, "tenant-admin").get(notifications(tenant)).then().statusCode(404);
        given().auth().oauth2(TestTokens.forTenant(other, "tenant-admin")).get(notifications(other) + "/" + id)
                .then().statusCode(404);
        given().contentType(ContentType.JSON).get(notifications(tenant)).then().statusCode(401);
        given().contentType(ContentType.JSON).body(body).post(notifications(tenant)).then().statusCode(401);

        as(tenant, "tenant-operator").delete(notifications(tenant) + "/" + id).then().statusCode(200)
                .body("state", equalTo("REVOKED"), "reason", notNullValue());
        as(tenant, "tenant-operator").delete(notifications(tenant) + "/" + id).then().statusCode(200)
                .body("state", equalTo("REVOKED"));
    }

    @Test
    void listsArePagedNewestFirstAndFiltered() {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(0, operator(tenant).body(Map.of("target", Map.of("device", "truck-7"), "topic", "n" + i))
                    .post(notifications(tenant)).then().statusCode(202).extract().path("id"));
        }
        String groupId = operator(tenant).body(Map.of("target", Map.of("group", "district-9"), "topic", "g"))
                .post(notifications(tenant)).then().statusCode(202).extract().path("id");
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var request = as(tenant, "tenant-viewer").queryParam("target", "device:truck-7").queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.get(notifications(tenant)).then().statusCode(200).extract();
            seen.addAll(page.path("items.id"));
            cursor = page.path("nextCursor");
        } while (cursor != null);
        assertEquals(sent, seen);
        as(tenant, "tenant-viewer").queryParam("state", "ACTIVE").queryParam("target", "group:district-9")
                .get(notifications(tenant)).then().statusCode(200).body("items.id", equalTo(List.of(groupId)));
        as(tenant, "tenant-viewer").queryParam("state", "nope").queryParam("target", "planet:x")
                .queryParam("since", "yesterday").get(notifications(tenant))
                .then().statusCode(400).body("errors.field", containsInAnyOrder("state", "target", "since"));
        as(tenant, "tenant-viewer").queryParam("cursor", "bm9wZQ").get(notifications(tenant))
                .then().statusCode(400).body("errors.field", containsInAnyOrder("cursor"));
        as(tenant, "tenant-viewer").get("/api/v1/tenants/" + tenant + "/devices/lamp-1/notifications").then()
                .statusCode(200).body("items.id", equalTo(List.of(groupId)), "items[0].deliveredAt", nullValue(),
                        "items[0].progress", nullValue());
    }
}
