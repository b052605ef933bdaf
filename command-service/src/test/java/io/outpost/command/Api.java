package io.outpost.command;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.FakeBridge;
import io.outpost.testsupport.RegistryRecords;
import io.outpost.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Calls the command API in tests, and registers devices as the registry would. */
final class Api {
    private Api() {
    }

    /** A tenant no other test uses. */
    static String newTenant() {
        return RegistryRecords.newTenant();
    }

    /** Registers the device on the registry topic and waits until this instance's view has it. */
    static void device(DeviceDirectory directory, String tenant, String device, boolean enabled) {
        RegistryRecords.put(tenant, device, enabled, "correct-horse-battery-staple");
        Await.until("registry view has " + tenant + "/" + device, Duration.ofSeconds(20),
                () -> directory.find(tenant + "/" + device).filter(d -> d.enabled() == enabled).isPresent());
    }

    /**
     * Connects the device as the bridge would tell it (a CONNECTED of a new session) and waits until the mailbox holds
     * it online, so commands sent from now on are published at once.
     */
    static void online(DataSource dataSource, String tenant, String device) {
        FakeBridge.connected(dataSource, tenant, device);
    }

    static RequestSpecification as(String tenant, String role) {
        return as(TestTokens.forTenant(tenant, role));
    }

    static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    static RequestSpecification operator(String tenant) {
        return as(tenant, "tenant-operator");
    }

    static String commands(String tenant, String device) {
        return "/api/v1/tenants/" + tenant + "/devices/" + device + "/commands";
    }

    static String command(String tenant, String id) {
        return "/api/v1/tenants/" + tenant + "/commands/" + id;
    }

    /** Sends a command as an operator; expects 202 and returns the id. */
    static String send(String tenant, String device, Map<String, Object> body) {
        return operator(tenant).body(body).post(commands(tenant, device)).then().statusCode(202).extract().path("id");
    }

    static String send(String tenant, String device, String name) {
        return send(tenant, device, Map.of("name", name, "payload", Map.of("n", name)));
    }

    static Response get(String tenant, String id) {
        return as(tenant, "tenant-viewer").get(command(tenant, id));
    }

    static String state(String tenant, String id) {
        return get(tenant, id).then().statusCode(200).extract().path("state");
    }

    static String awaitState(String tenant, String id, String expected) {
        return Await.value("state of " + id, expected, () -> state(tenant, id));
    }

    static List<String> history(String tenant, String id) {
        return get(tenant, id).then().statusCode(200).extract().path("history.state");
    }
}
