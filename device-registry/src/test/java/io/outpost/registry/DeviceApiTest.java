package io.outpost.registry;

import static io.outpost.registry.RegistryApi.as;
import static io.outpost.registry.RegistryApi.devices;
import static io.outpost.registry.RegistryApi.groups;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.endsWith;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class DeviceApiTest {

    @Test
    void deviceIsCreatedReadReplacedAndDeleted() {
        String tenant = RegistryApi.newTenant();
        as(tenant, "tenant-admin").body(Map.of("id", "north")).post(groups(tenant)).then().statusCode(201);

        String etag = as(tenant, "tenant-admin")
                .body(Map.of("id", "truck-1", "labels", Map.of("site", "berlin"), "attributes", Map.of("fw", "1.0"),
                        "groups", List.of("north")))
                .post(devices(tenant))
                .then().statusCode(201)
                .header("Location", endsWith("/api/v1/tenants/" + tenant + "/devices/truck-1"))
                .body("device.id", equalTo("truck-1"))
                .body("device.enabled", equalTo(true))
                .body("device.groups", contains("north"))
                .body("device.connection.online", equalTo(false))
                .body("credential", nullValue())
                .extract().header("ETag");

        as(tenant, "tenant-viewer").get(devices(tenant) + "/truck-1")
                .then().statusCode(200).header("ETag", equalTo(etag))
                .body("labels.site", equalTo("berlin")).body("attributes.fw", equalTo("1.0"));

        String newEtag = as(tenant, "tenant-admin").header("If-Match", etag)
                .body(Map.of("enabled", false, "labels", Map.of("site", "hamburg")))
                .put(devices(tenant) + "/truck-1")
                .then().statusCode(200)
                .body("enabled", equalTo(false)).body("labels.site", equalTo("hamburg")).body("groups", hasSize(0))
                .extract().header("ETag");
        org.junit.jupiter.api.Assertions.assertNotEquals(etag, newEtag);

        as(tenant, "tenant-admin").header("If-Match", newEtag).delete(devices(tenant) + "/truck-1")
                .then().statusCode(204);
        as(tenant, "tenant-admin").get(devices(tenant) + "/truck-1").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void staleIfMatchIsRefusedWith412AndChangesNothing() {
        String tenant = RegistryApi.newTenant();
        String etag = as(tenant, "tenant-admin").body(Map.of("id", "d1")).post(devices(tenant))
                .then().statusCode(201).extract().header("ETag");
        as(tenant, "tenant-admin").header("If-Match", etag).body(Map.of("labels", Map.of("a", "1")))
                .put(devices(tenant) + "/d1").then().statusCode(200);

        as(tenant, "tenant-admin").header("If-Match", etag).body(Map.of("labels", Map.of("a", "2")))
                .put(devices(tenant) + "/d1")
                .then().statusCode(412).contentType("application/problem+json").body("status", equalTo(412));
        as(tenant, "tenant-admin").header("If-Match", etag).delete(devices(tenant) + "/d1").then().statusCode(412);

        as(tenant, "tenant-admin").get(devices(tenant) + "/d1").then().statusCode(200).body("labels.a", equalTo("1"));
    }

    @Test
    void invalidDeviceIsRefusedWithProblemNamingEachField() {
        String tenant = RegistryApi.newTenant();
        as(tenant, "tenant-admin")
                .body(Map.of("id", "bad id!", "labels", Map.of("bad key!", "x"), "groups", List.of("nope")))
                .post(devices(tenant))
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Invalid request"))
                .body("errors.field", contains("id", "labels.bad key!"));

        as(tenant, "tenant-admin").body(Map.of("id", "ok", "groups", List.of("nope"))).post(devices(tenant))
                .then().statusCode(400).body("errors[0].field", equalTo("groups[0]"));

        as(tenant, "tenant-admin").body("{\"id\": \"x\", \"enabled\": \"perhaps\"}").post(devices(tenant))
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("enabled"));
    }

    @Test
    void secondDeviceWithTheSameIdIsAConflict() {
        String tenant = RegistryApi.newTenant();
        as(tenant, "tenant-admin").body(Map.of("id", "dup")).post(devices(tenant)).then().statusCode(201);
        as(tenant, "tenant-admin").body(Map.of("id", "dup")).post(devices(tenant))
                .then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void generatedSecretIsShownOnceAndAtMostTwoAreActive() {
        String tenant = RegistryApi.newTenant();
        String secret = as(tenant, "tenant-admin").body(Map.of("id", "cam-1", "credential", Map.of()))
                .post(devices(tenant))
                .then().statusCode(201)
                .body("credential.algorithm", equalTo("sha256-salted-v1"))
                .extract().path("credential.secret");
        org.junit.jupiter.api.Assertions.assertTrue(secret.length() >= 43, secret);

        String credentials = devices(tenant) + "/cam-1/credentials";
        as(tenant, "tenant-admin").get(credentials).then().statusCode(200)
                .body("$", hasSize(1)).body("[0].secret", nullValue()).body("[0].id", notNullValue());
        String second = as(tenant, "tenant-admin").body(Map.of("secret", "factory-secret-0001")).post(credentials)
                .then().statusCode(201).body("secret", nullValue()).extract().path("id");
        as(tenant, "tenant-admin").body(Map.of()).post(credentials).then().statusCode(409);

        as(tenant, "tenant-admin").delete(credentials + "/" + second).then().statusCode(204);
        as(tenant, "tenant-admin").body(Map.of()).post(credentials).then().statusCode(201).body("secret", not(nullValue()));
        as(tenant, "tenant-admin").body(Map.of("secret", "short")).post(credentials)
                .then().statusCode(400).body("errors[0].field", equalTo("secret"));
    }
}
