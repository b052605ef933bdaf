package io.outpost.telemetry;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.function.Predicate;

import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.RegistryRecords;
import io.outpost.testsupport.TestTokens;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** Test helpers: a tenant viewer's requests, devices the service knows, waiting for ingested readings. */
final class Api {
    private Api() {
    }

    static RequestSpecification as(String tenant) {
        return given().auth().oauth2(TestTokens.forTenant(tenant, "tenant-viewer"));
    }

    /** Registers the device in the registry topic and waits until the service's registry view has it. */
    static void device(DeviceDirectory directory, String tenant, String device, String... groups) {
        RegistryRecords.put(tenant, device, true, "secret-0123456789abcdef", java.util.List.of(groups));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (directory.find(tenant + "/" + device).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("registry view never got " + tenant + "/" + device);
            }
            sleep(20);
        }
    }

    /** GETs {@code path} (a 200 answer) until {@code done} holds, at most 10 s; returns the last body. */
    static JsonPath await(String tenant, String path, Predicate<JsonPath> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            JsonPath body = as(tenant).get(path).then().statusCode(200).extract().jsonPath();
            if (done.test(body) || System.nanoTime() > deadline) {
                return body;
            }
            sleep(50);
        }
    }

    /** GETs {@code path} until it answers {@code status}, at most 10 s. */
    static void awaitStatus(String tenant, String path, int status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (as(tenant).get(path).statusCode() != status) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(path + " never answered " + status);
            }
            sleep(50);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
