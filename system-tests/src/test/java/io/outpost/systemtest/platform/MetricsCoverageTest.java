package io.outpost.systemtest.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.outpost.device.CommandResult;
import io.outpost.device.OutpostDevice;
import io.outpost.systemtest.observability.ObservabilityFiles;

/**
 * Every metric that a dashboard ({@code deploy/observability/grafana}) or an alert rule
 * ({@code deploy/observability/prometheus/alerts.yml}) queries is exposed on some service's {@code /q/metrics}.
 * Counters and timers with tenant labels appear only once counted, so the platform first does one of each thing they
 * watch: a device connects, reports, runs a command, is sent a notification it leaves pending, publishes where it may
 * not and fails to log in, and a fleet notification goes out. Only the mailbox gauges, recomputed every 10 s, are waited for (a bounded poll).
 */
@ExtendWith(LocalPlatform.class)
class MetricsCoverageTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Every service process of the platform tests' {@code ./outpost up}, with its HTTP port. */
    private static final Map<String, Integer> SERVICES = Map.of("device-registry", LocalPlatform.REGISTRY,
            "mqtt-bridge", 8082, LocalPlatform.NODE_2, 8092, "telemetry-service", LocalPlatform.TELEMETRY,
            "command-service", LocalPlatform.COMMANDS, "notification-service", 8085, "inquiry-service", 8086,
            "remote-access-service", LocalPlatform.RELAY_1, "remote-access-service-2", LocalPlatform.RELAY_2);
    /** Series that Prometheus writes itself for every scrape target: no service exposes them. */
    private static final Set<String> WRITTEN_BY_PROMETHEUS = Set.of("up");
    /** Gauges recomputed from the database every 10 s (the mailbox's metrics-interval) need that long to appear. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void everyMetricThatADashboardOrAnAlertQueriesIsExposedBySomeService() throws Exception {
        // given every metric the dashboards and alert rules query
        SortedMap<String, SortedSet<String>> used = ObservabilityFiles.metricsUsed();
        assertTrue(used.size() > 20, "the files name only " + used.keySet());
        // when the platform has done one of each thing they watch
        exerciseThePlatform();
        // then each is on some service's /q/metrics (waiting for the periodic gauges, never for the last one missing)
        Map<String, String> unreachable = new TreeMap<>();
        Map<String, SortedSet<String>> missing = missing(used, unreachable);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            unreachable.clear();
            missing = missing(used, unreachable);
        }
        StringBuilder report = new StringBuilder("metrics queried but exposed by no service:");
        missing.forEach((metric, where) -> report.append("\n  ").append(metric).append(", used by ").append(where));
        unreachable.forEach((service, why) -> report.append("\n  (").append(service).append(" not scraped: ")
                .append(why).append(')'));
        assertEquals(Map.of(), missing, report.toString());
    }

    private static void exerciseThePlatform() throws Exception {
        TenantApi acme = TenantApi.of("acme");
        String device = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = acme.createDevice(device);
        try (OutpostDevice sdk = SdkDevices.builder(device, secret).endpoint("127.0.0.1", LocalPlatform.NODE_1_MQTT)
                .onCommand(command -> CommandResult.succeeded("{}")).build()) {
            SdkDevices.connect(sdk);
            sdk.sendTelemetry("metrics", "{\"n\":1}").get(10, TimeUnit.SECONDS);
            TenantApi.Answer command = acme.sendCommand(device, "?wait=10s", "{\"name\":\"ping\",\"payload\":{}}");
            assertEquals("SUCCEEDED", command.text("state"), command.toString());
        }
        TenantApi.Answer notification = acme.post(8085, "/notifications", "{\"target\":{\"device\":\"" + device
                + "\"},\"topic\":\"metrics/check\",\"payload\":{\"n\":1},\"ttl\":\"1h\"}");
        assertEquals(202, notification.status(), notification.toString());
        // globex: no platform test has devices there that a fleet notification could surprise; it expires in 30 s
        TenantApi.Answer fleet = TenantApi.of("globex").post(8085, "/notifications",
                "{\"target\":{\"fleet\":true},\"topic\":\"metrics/check\",\"payload\":{},\"ttl\":\"30s\"}");
        assertEquals(202, fleet.status(), fleet.toString());
        MosquittoClient.Outcome foreignTopic = new MosquittoClient(device, secret, LocalPlatform.NODE_1_MQTT)
                .publish("devices/someone-else/telemetry", "{}");
        assertTrue(foreignTopic.output().toLowerCase().contains("not authorized"), foreignTopic.toString());
        MosquittoClient.Outcome badSecret = new MosquittoClient(device, "not-the-secret", LocalPlatform.NODE_1_MQTT)
                .publish("devices/" + device + "/telemetry", "{}");
        assertTrue(badSecret.output().toLowerCase().contains("bad user name or password"), badSecret.toString());
    }

    /** The used metrics that no service exposes now; services that could not be scraped go into unreachable. */
    private static Map<String, SortedSet<String>> missing(SortedMap<String, SortedSet<String>> used,
            Map<String, String> unreachable) throws InterruptedException {
        Set<String> exposed = new HashSet<>(WRITTEN_BY_PROMETHEUS);
        for (Map.Entry<String, Integer> service : SERVICES.entrySet()) {
            try {
                exposed.addAll(ObservabilityFiles.exposedNames(scrape(service.getValue())));
            } catch (IOException e) {
                unreachable.put(service.getKey(), e.toString());
            }
        }
        Map<String, SortedSet<String>> missing = new TreeMap<>(used);
        missing.keySet().removeAll(exposed);
        return missing;
    }

    private static String scrape(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/q/metrics")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("/q/metrics answered " + response.statusCode());
        }
        return response.body();
    }
}
