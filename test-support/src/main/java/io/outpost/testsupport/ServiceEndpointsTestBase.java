package io.outpost.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * What every Outpost service exposes to its operators: readiness that checks its real dependencies, Prometheus
 * metrics and its OpenAPI document. A service's test extends this, runs as a {@code @QuarkusTest} with the test
 * resources of its dependencies, and names the readiness checks it must have.
 */
public abstract class ServiceEndpointsTestBase {
    public static final String KAFKA_CHECK = "Kafka connection health check";
    public static final String DATABASE_CHECK = "Database connections health check";

    /** Names of the readiness checks that must be present and UP. */
    protected abstract List<String> readinessChecks();

    @Test
    void readinessIsUpAndChecksEveryDependency() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.findAll { it.status == 'UP' }.name", hasItems(readinessChecks().toArray(String[]::new)));
    }

    @Test
    void metricsAreExposedForPrometheus() {
        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("# TYPE jvm_memory_used_bytes gauge"));
    }

    @Test
    void openApiDocumentIsPublished() {
        given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("openapi", startsWith("3."));
    }
}
