package io.outpost.registry;

import static io.outpost.registry.RegistryApi.as;
import static io.outpost.registry.RegistryApi.devices;
import static io.outpost.registry.RegistryApi.groups;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.outpost.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class TenantIsolationTest {
    static String owner;
    static String credentialId;

    @BeforeEach
    void fixture() {
        ownerHasADeviceGroupAndCredential();
    }

    /** Built once, on the first test's call: Quarkus only listens once the first test runs. */
    static synchronized void ownerHasADeviceGroupAndCredential() {
        if (owner != null) {
            return;
        }
        owner = RegistryApi.newTenant();
        as(owner, "tenant-admin").body(Map.of("id", "secret-group")).post(groups(owner)).then().statusCode(201);
        credentialId = as(owner, "tenant-admin")
                .body(Map.of("id", "secret-device", "groups", List.of("secret-group"), "credential", Map.of()))
                .post(devices(owner)).then().statusCode(201).extract().path("credential.id");
    }

    /** Every endpoint of a tenant, as method and path. */
    static Stream<Arguments> endpoints() {
        String d = "/api/v1/tenants/%s/devices";
        String g = "/api/v1/tenants/%s/groups";
        return Stream.of(
                Arguments.of("GET", "/api/v1/tenants/%s"),
                Arguments.of("DELETE", "/api/v1/tenants/%s"),
                Arguments.of("GET", d),
                Arguments.of("POST", d),
                Arguments.of("POST", d + "/import"),
                Arguments.of("GET", d + "/secret-device"),
                Arguments.of("PUT", d + "/secret-device"),
                Arguments.of("DELETE", d + "/secret-device"),
                Arguments.of("GET", d + "/secret-device/credentials"),
                Arguments.of("POST", d + "/secret-device/credentials"),
                Arguments.of("DELETE", d + "/secret-device/credentials/{credential}"),
                Arguments.of("GET", g),
                Arguments.of("POST", g),
                Arguments.of("GET", g + "/secret-group"),
                Arguments.of("PUT", g + "/secret-group"),
                Arguments.of("DELETE", g + "/secret-group"),
                Arguments.of("GET", g + "/secret-group/members"),
                Arguments.of("PUT", g + "/secret-group/members/secret-device"),
                Arguments.of("DELETE", g + "/secret-group/members/secret-device"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("endpoints")
    void anotherTenantsAdminGets404AndNoData(String method, String template) {
        String intruder = RegistryApi.newTenant();
        Response response = call(as(intruder, "tenant-admin").body("{}"), method, path(template));

        answeredAsIfTheTenantDidNotExist(response);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("endpoints")
    void aTokenWithoutTenantsGets404(String method, String template) {
        Response response = call(as(TestTokens.mint("nobody", List.of(), "tenant-admin")).body("{}"), method,
                path(template));

        answeredAsIfTheTenantDidNotExist(response);
    }

    @Test
    void tenantListShowsOnlyTheCallersTenants() {
        String other = RegistryApi.newTenant();
        as(other, "tenant-viewer").get("/api/v1/tenants").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.contains(other));
    }

    @Test
    void viewerReadsButCannotWrite() {
        as(owner, "tenant-viewer").get(devices(owner) + "/secret-device").then().statusCode(200);
        as(owner, "tenant-viewer").body(Map.of("id", "v-1")).post(devices(owner)).then().statusCode(403)
                .contentType("application/problem+json");
        as(owner, "tenant-viewer").body(Map.of()).put(devices(owner) + "/secret-device").then().statusCode(403);
        as(owner, "tenant-viewer").delete(devices(owner) + "/secret-device").then().statusCode(403);
        as(owner, "tenant-viewer").body(Map.of("id", "g")).post(groups(owner)).then().statusCode(403);
    }

    @Test
    void operatorReadsButCannotManageCredentials() {
        as(owner, "tenant-operator").get(devices(owner)).then().statusCode(200);
        String credentials = devices(owner) + "/secret-device/credentials";
        as(owner, "tenant-operator").get(credentials).then().statusCode(403);
        as(owner, "tenant-operator").body(Map.of()).post(credentials).then().statusCode(403);
        as(owner, "tenant-operator").delete(credentials + "/" + credentialId).then().statusCode(403);
        as(owner, "tenant-operator").body(Map.of("id", "op-1", "credential", Map.of())).post(devices(owner))
                .then().statusCode(403);
        as(owner, "tenant-operator").contentType("application/x-ndjson").body("{\"id\":\"op-2\"}\n")
                .post(devices(owner) + "/import").then().statusCode(403);
    }

    @Test
    void onlyPlatformAdminsManageTenants() {
        as(owner, "tenant-admin").body(Map.of("id", "new-tenant")).post("/api/v1/tenants").then().statusCode(403);
        as(owner, "tenant-admin").delete("/api/v1/tenants/" + owner).then().statusCode(403);
        as(owner, "tenant-admin").get("/api/v1/tenants/" + owner).then().statusCode(200)
                .body("id", equalTo(owner));
    }

    /** The same problem a tenant that does not exist gets: no device, group or credential data, no hint. */
    private static void answeredAsIfTheTenantDidNotExist(Response response) {
        response.then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("tenant " + owner + " not found"))
                .body("keySet()", containsInAnyOrder("type", "title", "status", "detail", "instance"));
    }

    private static String path(String template) {
        return String.format(template.replace("{credential}", credentialId), owner);
    }

    private static Response call(RequestSpecification request, String method, String path) {
        return request.request(method, path);
    }
}
