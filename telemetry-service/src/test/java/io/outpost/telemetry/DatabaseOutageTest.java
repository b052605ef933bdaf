package io.outpost.telemetry;

import static io.outpost.telemetry.Api.as;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.DatabaseOutage;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.outpost.testsupport.RegistryRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * PostgreSQL killed (SIGKILL) while readings arrive, then restarted: the service is never restarted, ingest resumes by
 * itself and stores every reading exactly once; meanwhile REST answers 503 problem+json with Retry-After, readiness is
 * down and liveness stays up.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class DatabaseOutageTest {
    private static final int BEFORE = 100;
    private static final int DURING = 200;
    private static final int AFTER = 50;

    @Inject
    DeviceDirectory directory;
    @Inject
    DataSource dataSource;

    @Test
    void ingestWaitsOutADatabaseCrashAndStoresEveryReadingOnce() {
        String tenant = RegistryRecords.newTenant();
        Api.device(directory, tenant, "meter");
        String history = "/api/v1/tenants/" + tenant + "/devices/meter/telemetry";
        Instant t0 = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        publish(tenant, t0, 0, BEFORE);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> stored(tenant), equalTo(List.of((long) BEFORE, (long) BEFORE)));

        DatabaseOutage.ride(() -> {
            publish(tenant, t0, BEFORE, DURING);
            as(tenant).get(history).then().statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", "5").body("status", equalTo(503));
        });

        publish(tenant, t0, BEFORE + DURING, AFTER);
        long all = BEFORE + DURING + AFTER;
        await().atMost(Duration.ofSeconds(30)).until(() -> stored(tenant), equalTo(List.of(all, all)));
        as(tenant).get(history + "?limit=1").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
    }

    private static void publish(String tenant, Instant t0, int from, int count) {
        for (int i = from; i < from + count; i++) {
            BridgeRecords.publishJson(tenant, "meter", "telemetry", "{\"n\":" + i + "}", t0.plusMillis(i));
        }
    }

    /** How many readings of the tenant are stored, and how many distinct ones; empty while the database is down. */
    private List<Long> stored(String tenant) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select count(*), count(distinct message_id) from telemetry where tenant_id = ?")) {
            select.setString(1, tenant);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return List.of(rs.getLong(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            return List.of();
        }
    }
}
