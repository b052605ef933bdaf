package io.outpost.command;

import static io.outpost.command.Api.awaitState;
import static io.outpost.command.Api.commands;
import static io.outpost.command.Api.operator;
import static io.outpost.command.Api.send;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.outpost.contracts.DeliveryStatus;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.DatabaseOutage;
import io.outpost.testsupport.FakeBridge;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * PostgreSQL killed (SIGKILL), then restarted, with the service running: sending a command meanwhile answers 503
 * problem+json with Retry-After (never a plain-text 500), liveness stays up, and the device's receipt and reply that
 * arrive during the outage are applied once the database is back: the command still ends SUCCEEDED.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class DatabaseOutageTest {
    @Inject
    DeviceDirectory directory;
    @Inject
    DataSource dataSource;

    @Test
    void commandsWaitOutADatabaseCrash() {
        String tenant = Api.newTenant();
        Api.device(directory, tenant, "truck-7", true);
        Api.online(dataSource, tenant, "truck-7");
        String id = send(tenant, "truck-7", Map.of("name", "unlock", "replyTimeout", "PT5M"));

        DatabaseOutage.ride(() -> {
            operator(tenant).body(Map.of("name", "honk")).post(commands(tenant, "truck-7")).then().statusCode(503)
                    .contentType("application/problem+json").header("Retry-After", "5").body("status", equalTo(503));
            FakeBridge.receipt(tenant, "truck-7", id, DeliveryStatus.DELIVERED);
            FakeBridge.reply(tenant, "truck-7", id, "succeeded", "application/json", "{\"unlocked\":4}");
        });

        awaitState(tenant, id, "SUCCEEDED");
        operator(tenant).body(Map.of("name", "honk")).post(commands(tenant, "truck-7")).then().statusCode(202);
    }
}
