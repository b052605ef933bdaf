package io.outpost.systemtest.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/** What the platform tests that crash a dependency check afterwards: the same processes, healthy, nothing lost. */
final class PlatformChecks {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Every service process of the platform tests' {@code ./outpost up}, by component, with its HTTP port. */
    private static final Map<String, Integer> SERVICES = Map.of("device-registry", 8081, "mqtt-bridge", 8082,
            "telemetry-service", 8083, "command-service", 8084, "notification-service", 8085, "inquiry-service",
            8086, LocalPlatform.NODE_2, 8092);

    private static final int TOO_SLOW = -1;

    private PlatformChecks() {
    }

    /** The pid of every service, to tell afterwards that none was restarted. */
    static Map<String, String> servicePids() throws IOException {
        Map<String, String> pids = new LinkedHashMap<>();
        for (String service : new TreeMap<>(SERVICES).keySet()) {
            pids.put(service, Files.readString(LocalPlatform.ROOT.resolve(".outpost/pids/" + service + ".pid")).trim());
        }
        return pids;
    }

    static boolean allLive() {
        return SERVICES.values().stream().allMatch(port -> healthy(port, "live"));
    }

    /**
     * The services whose liveness check answers anything but 200 or refuses the connection; one that is merely slow to
     * answer on a starved machine is not among them.
     */
    static List<String> notLive() {
        return SERVICES.entrySet().stream().filter(service -> {
            int status = status(service.getValue(), "live");
            return status != 200 && status != TOO_SLOW;
        }).map(Map.Entry::getKey).sorted().toList();
    }

    static boolean allReady() {
        return SERVICES.values().stream().allMatch(port -> healthy(port, "ready"));
    }

    /** How often each reading {@code {"n": i}} of the device's stream {@code load} is stored, by n. */
    static Map<Integer, Integer> stored(TenantApi api, String device) throws IOException, InterruptedException {
        Map<Integer, Integer> counts = new TreeMap<>();
        String cursor = null;
        do {
            String path = "/devices/" + device + "/telemetry?stream=load&order=oldest&limit=1000"
                    + (cursor == null ? "" : "&cursor=" + cursor);
            TenantApi.Answer page = api.get(LocalPlatform.TELEMETRY, path);
            for (JsonNode item : page.body().path("items")) {
                counts.merge(item.path("payload").path("n").asInt(), 1, Integer::sum);
            }
            cursor = page.body().path("nextCursor").isTextual() ? page.body().path("nextCursor").asText() : null;
        } while (cursor != null);
        return counts;
    }

    /** {@link #stored}, once it holds every acknowledged reading or the patience ran out. */
    static Map<Integer, Integer> awaitStored(TenantApi api, String device, Set<Integer> acknowledged,
            Duration patience) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        Map<Integer, Integer> stored = stored(api, device);
        while (!stored.keySet().containsAll(acknowledged) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            stored = stored(api, device);
        }
        return stored;
    }

    private static boolean healthy(int port, String check) {
        return status(port, check) == 200;
    }

    /** The HTTP status of the health check; 0 if the connection failed, {@link #TOO_SLOW} after 5 s. */
    private static int status(int port, String check) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/" + check))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (HttpTimeoutException e) {
            return TOO_SLOW;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
