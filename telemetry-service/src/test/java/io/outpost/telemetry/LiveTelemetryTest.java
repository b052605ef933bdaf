package io.outpost.telemetry;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.outpost.testsupport.RegistryRecords;
import io.outpost.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Server-Sent Events: readings of the tenant (filtered by device and stream) reach a connected client. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class LiveTelemetryTest {
    @Inject
    DeviceDirectory directory;
    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void aDashboardSeesOnlyTheReadingsItAskedFor() throws Exception {
        String tenant = RegistryRecords.newTenant();
        Api.device(directory, tenant, "pump");
        Api.device(directory, tenant, "valve");
        List<String> events = new CopyOnWriteArrayList<>();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://localhost:" + port + "/api/v1/tenants/" + tenant + "/telemetry/live?device=pump&stream=flow"))
                .header("Authorization", "Bearer " + TestTokens.forTenant(tenant, "tenant-viewer"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        Thread reader = new Thread(() -> response.body().filter(line -> line.startsWith("data:")).forEach(events::add));
        reader.setDaemon(true);
        reader.start();
        Api.sleep(500);

        String wanted = BridgeRecords.publishJson(tenant, "pump", "telemetry/flow", "{\"lpm\":12}", Instant.now());
        BridgeRecords.publishJson(tenant, "valve", "telemetry/flow", "{\"lpm\":3}", Instant.now());
        BridgeRecords.publishJson(tenant, "pump", "telemetry/pressure", "{\"bar\":2}", Instant.now());
        String after = BridgeRecords.publishJson(tenant, "pump", "telemetry/flow", "{\"lpm\":13}", Instant.now());

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (events.size() < 2 && System.nanoTime() < deadline) {
            Api.sleep(20);
        }
        Api.sleep(300);
        assertTrue(events.size() == 2 && events.get(0).contains(wanted) && events.get(0).contains("\"lpm\":12")
                && events.get(1).contains(after), "events: " + events);
        response.body().close();
    }
}
