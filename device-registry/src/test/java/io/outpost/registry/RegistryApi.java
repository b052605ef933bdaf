package io.outpost.registry;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.outpost.testsupport.TestTokens;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Calls the registry's REST API in tests, as a caller with given tenants and roles. */
final class RegistryApi {
    /** Import bodies are sent as text, which RestAssured does not do by itself for these media types. */
    private static final RestAssuredConfig CONFIG = RestAssuredConfig.config().encoderConfig(EncoderConfig.encoderConfig()
            .encodeContentTypeAs("application/x-ndjson", ContentType.TEXT)
            .encodeContentTypeAs("text/csv", ContentType.TEXT));

    private RegistryApi() {
    }

    /** A fresh tenant, so tests sharing the database never see each other's devices. */
    static String newTenant() {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
        asPlatformAdmin().body(Map.of("id", id, "name", "Test tenant " + id))
                .post("/api/v1/tenants").then().statusCode(201);
        return id;
    }

    static RequestSpecification asPlatformAdmin() {
        return as(TestTokens.mint("platform-operator", List.of(), "platform-admin"));
    }

    static RequestSpecification as(String tenant, String role) {
        return as(TestTokens.forTenant(tenant, role));
    }

    static RequestSpecification as(String token) {
        return given().config(CONFIG).auth().oauth2(token).contentType(ContentType.JSON);
    }

    static String devices(String tenant) {
        return "/api/v1/tenants/" + tenant + "/devices";
    }

    static String groups(String tenant) {
        return "/api/v1/tenants/" + tenant + "/groups";
    }
}
