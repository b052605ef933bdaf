package io.outpost.inquiry;

import static io.outpost.inquiry.Inquiries.as;
import static io.outpost.inquiry.Inquiries.handler;
import static io.outpost.inquiry.Inquiries.inquiries;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.outpost.testsupport.FakeBridge;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.outpost.testsupport.RegistryRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Handlers and the inquiry API: validation, secrets shown once, roles, tenant isolation. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class InquiryApiTest {
    @Inject
    DataSource dataSource;

    private TestWebhook webhook;
    private String tenant;

    @BeforeEach
    void tenant() throws Exception {
        tenant = RegistryRecords.newTenant();
        webhook = new TestWebhook(Inquiries.SECRET);
    }

    @AfterEach
    void stopWebhook() {
        webhook.close();
    }

    @Test
    void aBadHandlerIsRefusedFieldByFieldAndNeverCalled() {
        as(tenant, "tenant-admin").body(Map.of("kind", "webhook", "url", "http://example.com/hook", "secret", "short",
                "timeout", "2m")).put(handler(tenant, "weather")).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("url", "secret", "timeout"));
        as(tenant, "tenant-admin").body(Map.of("kind", "webhook", "url", "https://10.1.2.3/hook")).put(handler(tenant,
                "weather")).then().statusCode(400).body("errors.field", containsInAnyOrder("url"),
                        "errors.detail", hasItems(org.hamcrest.Matchers.containsString("private")));
        as(tenant, "tenant-admin").body(Map.of("kind", "webhook", "url", "https://127.0.0.1/hook")).put(handler(tenant,
                "weather")).then().statusCode(400).body("errors.field", containsInAnyOrder("url"));
        as(tenant, "tenant-admin").body(Map.of("kind", "kafka", "url", webhook.url()))
                .put(handler(tenant, "weather")).then().statusCode(400).body("errors.field", containsInAnyOrder("url"));
        as(tenant, "tenant-admin").body(Map.of("kind", "carrier-pigeon")).put(handler(tenant, "weather")).then()
                .statusCode(400).body("errors.field", containsInAnyOrder("kind"));
        as(tenant, "tenant-admin").body(Map.of("kind", "kafka")).put(handler(tenant, "we+ather")).then()
                .statusCode(400).body("errors.field", containsInAnyOrder("name"));

        FakeBridge.connected(dataSource, tenant, "toaster");
        Inquiries.ask(tenant, "toaster", "weather", "r-1", "{}");
        Inquiries.awaitState(tenant, "toaster", "r-1", "FAILED");
        assertTrue(webhook.calls().isEmpty() && webhook.refused() == 0, "nothing reached the webhook");
    }

    @Test
    void aGeneratedSecretIsShownOnceAndSignsTheCalls() {
        String secret = as(tenant, "tenant-admin").body(Map.of("kind", "webhook", "url", webhook.url()))
                .put(handler(tenant, "weather")).then().statusCode(201)
                .body("secret", matchesPattern("[A-Za-z0-9_-]{43}"), "timeout", equalTo("PT5S"))
                .extract().path("secret");
        as(tenant, "tenant-admin").get(handler(tenant, "weather")).then().statusCode(200)
                .body("secret", nullValue(), "url", equalTo(webhook.url()), "updatedBy", equalTo("user-of-" + tenant));
        String stored = storedSecret("weather");
        assertTrue(stored.startsWith("v1:") && !stored.contains(secret), "sealed at rest: " + stored);
        as(tenant, "tenant-admin").body(Map.of("kind", "webhook", "url", webhook.url(), "latestOnly", true))
                .put(handler(tenant, "weather")).then().statusCode(200).body("secret", nullValue(),
                        "latestOnly", equalTo(true));

        try (TestWebhook signed = new TestWebhook(secret)) {
            as(tenant, "tenant-admin").body(Map.of("kind", "webhook", "url", signed.url()))
                    .put(handler(tenant, "weather")).then().statusCode(200);
            FakeBridge.connected(dataSource, tenant, "toaster");
            Inquiries.ask(tenant, "toaster", "weather", "r-1", "{}");
            org.awaitility.Awaitility.await().atMost(Inquiries.WITHIN).until(() -> signed.calls().size() == 1);
            assertEquals(0, signed.refused(), "the kept secret signs the calls");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        as(tenant, "tenant-admin").get("/api/v1/tenants/" + tenant + "/inquiry-handlers").then().statusCode(200)
                .body("name", hasItems("weather"), "secret", hasItems((Object) null));
        as(tenant, "tenant-admin").delete(handler(tenant, "weather")).then().statusCode(204);
        as(tenant, "tenant-admin").get(handler(tenant, "weather")).then().statusCode(404);
    }

    @Test
    void concurrentPutsOfANewHandlerCreateItOnceAndAllSucceed() throws Exception {
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> statuses = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                statuses.add(callers.submit(() -> as(tenant, "tenant-admin").body(Map.of("kind", "kafka"))
                        .put(handler(tenant, "traffic")).statusCode()));
            }
            List<Integer> answers = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<Integer> status : statuses) {
                answers.add(status.get());
            }
            assertEquals(1, answers.stream().filter(status -> status == 201).count(), answers.toString());
            assertEquals(7, answers.stream().filter(status -> status == 200).count(), answers.toString());
        } finally {
            callers.shutdownNow();
        }
    }

    private String storedSecret(String name) {
        try (java.sql.Connection connection = dataSource.getConnection(); java.sql.PreparedStatement select =
                connection.prepareStatement("select secret from inquiry_handler where tenant_id = ? and name = ?")) {
            select.setString(1, tenant);
            select.setString(2, name);
            try (java.sql.ResultSet row = select.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void rolesAndTenantsAreKeptApart() {
        as(tenant, "tenant-operator").body(Map.of("kind", "kafka")).put(handler(tenant, "weather")).then()
                .statusCode(403);
        as(tenant, "tenant-viewer").get(handler(tenant, "weather")).then().statusCode(403);
        Inquiries.kafkaHandler(tenant, "weather", Map.of());
        String other = RegistryRecords.newTenant();
        try (TestWebhook theirs = new TestWebhook(Inquiries.SECRET)) {
            Inquiries.webhook(other, "weather", theirs.url(), Map.of());

            Inquiries.ask(tenant, "toaster", "weather", "r-1", "{\"mine\":true}");
            String id = Inquiries.inquiry(tenant, "toaster", "r-1").getString("id");
            Inquiries.ask(other, "toaster", "weather", "r-1", "{\"theirs\":true}");
            Inquiries.awaitState(other, "toaster", "r-1", "OPEN");
            org.awaitility.Awaitility.await().atMost(Inquiries.WITHIN).until(() -> theirs.calls().size() == 1);
            assertEquals(other, theirs.calls().get(0).body().get("tenant").asText(),
                    "a handler of another tenant never sees this tenant's inquiry");

            as(other, "tenant-admin").get(inquiries(other) + "/" + id).then().statusCode(404);
            as(other, "tenant-admin").body(Map.of("payload", Map.of("x", 1))).post(inquiries(other) + "/" + id
                    + "/answers").then().statusCode(404);
            as(tenant, "tenant-viewer").body(Map.of("payload", Map.of("x", 1))).post(inquiries(tenant) + "/" + id
                    + "/answers").then().statusCode(403);
            as(tenant, "tenant-viewer").get(inquiries(tenant) + "/" + id).then().statusCode(200)
                    .body("payload.mine", equalTo(true), "kind", equalTo("one-shot"), "handler", equalTo("kafka"));
            as(tenant, "tenant-viewer").get(inquiries(tenant)).then().statusCode(200).body("items.size()", equalTo(1));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void badAnswersAreRefusedFieldByField() {
        Inquiries.kafkaHandler(tenant, "weather", Map.of());
        Inquiries.subscribe(tenant, "toaster", "weather", "r-1", "{}", Map.of());
        String id = Inquiries.inquiry(tenant, "toaster", "r-1").getString("id");
        as(tenant, "tenant-operator").body(Map.of("payloadBase64", "***", "ttl", "8d")).post(inquiries(tenant) + "/" + id
                + "/answers").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("ttl"));
        as(tenant, "tenant-operator").body(Map.of("payload", Map.of("x", 1), "tll", "5m")).post(inquiries(tenant) + "/"
                + id + "/answers").then().statusCode(400);
        as(tenant, "tenant-viewer").queryParam("state", "SOMEWHERE").get(inquiries(tenant)).then().statusCode(400)
                .body("errors.field", hasItems("state"));
        as(tenant, "tenant-operator").body(Map.of("payload", Map.of("x", 1))).post(inquiries(tenant) + "/nope/answers")
                .then().statusCode(404);
    }
}
