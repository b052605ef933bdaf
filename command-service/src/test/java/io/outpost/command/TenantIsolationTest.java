package io.outpost.command;

import static io.outpost.command.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.outpost.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/** A tenant's commands are invisible to other tenants (404 everywhere) and read-only for its viewers (403). */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class TenantIsolationTest {
    static String owner;
    static String commandId;

    @Inject
    DeviceDirectory directory;

    @BeforeEach
    void ownerHasADeviceAndACommand() {
        synchronized (TenantIsolationTest.class) {
            if (owner == null) {
                owner = Api.newTenant();
                Api.device(directory, owner, "secret-device", true);
                commandId = Api.send(owner, "secret-device", "unlock");
            }
        }
    }

    /** Every endpoint, as method and path. */
    static Stream<Arguments> endpoints() {
        return Stream.of(
                Arguments.of("POST", "/api/v1/tenants/%s/devices/secret-device/commands"),
                Arguments.of("GET", "/api/v1/tenants/%s/devices/secret-device/commands"),
                Arguments.of("GET", "/api/v1/tenants/%s/commands"),
                Arguments.of("GET", "/api/v1/tenants/%s/commands/{command}"),
                Arguments.of("DELETE", "/api/v1/tenants/%s/commands/{command}"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("endpoints")
    void anotherTenantsAdminGetsA404(String method, String path) {
        String token = TestTokens.mint("intruder", List.of("globex"), "tenant-admin");
        call(as(token), method, path.formatted(owner))
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("tenant " + owner + " not found"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("endpoints")
    void aCallerWithoutATokenGetsA401(String method, String path) {
        call(given().contentType("application/json"), method, path.formatted(owner)).then().statusCode(401);
    }

    @Test
    void anotherTenantCannotReachACommandThroughItsOwnTenant() {
        String intruder = Api.newTenant();
        as(intruder, "tenant-admin").get(Api.command(intruder, commandId)).then().statusCode(404);
        as(intruder, "tenant-admin").delete(Api.command(intruder, commandId)).then().statusCode(404);
        Api.get(owner, commandId).then().statusCode(200).body("state", equalTo("PENDING"));
    }

    @Test
    void viewerMayReadButNotSendOrCancel() {
        as(owner, "tenant-viewer").body(Map.of("name", "x")).post(Api.commands(owner, "secret-device"))
                .then().statusCode(403).contentType("application/problem+json");
        as(owner, "tenant-viewer").delete(Api.command(owner, commandId)).then().statusCode(403);
        as(owner, "tenant-viewer").get(Api.command(owner, commandId)).then().statusCode(200);
        as(owner, "tenant-viewer").get(Api.commands(owner, "secret-device")).then().statusCode(200);
    }

    @Test
    void operatorsAdminsAndPlatformAdminsMaySend() {
        as(owner, "tenant-operator").body(Map.of("name", "x")).post(Api.commands(owner, "secret-device"))
                .then().statusCode(202);
        as(owner, "tenant-admin").body(Map.of("name", "x")).post(Api.commands(owner, "secret-device"))
                .then().statusCode(202);
        as(TestTokens.mint("root", List.of(), "platform-admin")).body(Map.of("name", "x"))
                .post(Api.commands(owner, "secret-device")).then().statusCode(202);
    }

    private static io.restassured.response.Response call(RequestSpecification request, String method, String path) {
        String resolved = path.replace("{command}", commandId);
        return switch (method) {
            case "POST" -> request.body(Map.of("name", "x")).post(resolved);
            case "DELETE" -> request.delete(resolved);
            default -> request.get(resolved);
        };
    }
}
