import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Device-registry benchmark, run against a running registry (./outpost up) by bench/registry-bench.sh:
 * 1. bulk import: 100,000 devices in calls of 10,000 (NDJSON, labels, a group on half of them), devices per second;
 * 2. list latency: every page of 100 of those 100,000 devices, walked with the cursor, client-side p50/p90/p99/max.
 * The walk starts once the outbox is relayed (steady state). A warm-up import and walk run first and are not counted. The bench tenants are deleted at the end.
 * Usage: java RegistryBench.java <registry-url> <platform-admin-token> <report.json>
 */
public class RegistryBench {
    static final int DEVICES = 100_000;
    static final int PER_IMPORT = 10_000;
    static final int PAGE = 100;
    static final Pattern CREATED = Pattern.compile("\"created\":(\\d+)");
    static final Pattern NEXT = Pattern.compile("\"nextCursor\":\"([^\"]+)\"");

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String base;
    final String token;

    RegistryBench(String base, String token) {
        this.base = base;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        RegistryBench bench = new RegistryBench(args[0], args[1]);
        String suffix = Long.toString(System.currentTimeMillis(), 36);
        String warmup = "bench-warmup-" + suffix;
        String tenant = "bench-" + suffix;
        try {
            bench.createTenant(warmup);
            bench.importDevices(warmup, 2 * PER_IMPORT);
            bench.walk(warmup);
            bench.createTenant(tenant);
            long start = System.nanoTime();
            bench.importDevices(tenant, DEVICES);
            double importSeconds = (System.nanoTime() - start) / 1e9;
            double relaySeconds = bench.awaitOutboxDrained(start);
            long[] latencies = bench.walk(tenant);
            Arrays.sort(latencies);
            double rate = DEVICES / importSeconds;
            String report = String.format(Locale.ROOT,
                    "{\"devices\":%d,\"importSeconds\":%.2f,\"importDevicesPerSecond\":%.0f,\"onTopicSeconds\":%.2f,"
                            + "\"pages\":%d,\"pageSize\":%d,"
                            + "\"pageP50Ms\":%.2f,\"pageP90Ms\":%.2f,\"pageP99Ms\":%.2f,\"pageMaxMs\":%.2f,"
                            + "\"processors\":%d,\"javaVersion\":\"%s\"}",
                    DEVICES, importSeconds, rate, relaySeconds, latencies.length, PAGE, ms(latencies, 0.50), ms(latencies, 0.90),
                    ms(latencies, 0.99), latencies[latencies.length - 1] / 1e6,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            Files.writeString(Path.of(args[2]), report + "\n");
            System.out.printf(Locale.ROOT, "bulk import: %d devices in %.2f s = %.0f devices/s (goal >= 5,000)%n",
                    DEVICES, importSeconds, rate);
            System.out.printf(Locale.ROOT, "all %d devices on the registry topic %.2f s after the import began%n",
                    DEVICES, relaySeconds);
            System.out.printf(Locale.ROOT,
                    "list page of %d at %d devices, %d pages: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (goal p99 < 20 ms)%n",
                    PAGE, DEVICES, latencies.length, ms(latencies, 0.50), ms(latencies, 0.90), ms(latencies, 0.99),
                    latencies[latencies.length - 1] / 1e6);
        } finally {
            bench.deleteTenant(warmup);
            bench.deleteTenant(tenant);
        }
    }

    void createTenant(String tenant) throws Exception {
        send("POST", "/api/v1/tenants", "application/json", "{\"id\":\"" + tenant + "\"}", 201);
        send("POST", "/api/v1/tenants/" + tenant + "/groups", "application/json", "{\"id\":\"even\"}", 201);
    }

    void importDevices(String tenant, int count) throws Exception {
        for (int first = 0; first < count; first += PER_IMPORT) {
            StringBuilder body = new StringBuilder(PER_IMPORT * 100);
            for (int i = first; i < first + PER_IMPORT; i++) {
                body.append("{\"id\":\"device-").append(String.format("%06d", i))
                        .append("\",\"labels\":{\"site\":\"site-").append(i % 50).append("\",\"model\":\"m")
                        .append(i % 7).append("\"}").append(i % 2 == 0 ? ",\"groups\":[\"even\"]" : "").append("}\n");
            }
            String answer = send("POST", "/api/v1/tenants/" + tenant + "/devices/import", "application/x-ndjson",
                    body.toString(), 200);
            Matcher created = CREATED.matcher(answer);
            if (!created.find() || Integer.parseInt(created.group(1)) != PER_IMPORT) {
                throw new IllegalStateException("import did not create every device: " + answer.substring(0, 200));
            }
        }
    }

    /** Waits until the registry relayed its outbox to Kafka; returns seconds since start. */
    double awaitOutboxDrained(long start) throws Exception {
        Pattern pending = Pattern.compile("(?m)^outpost_registry_outbox_pending(?:\\{[^}]*\\})? ([0-9.eE+]+)");
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher gauge = pending.matcher(send("GET", "/q/metrics", null, null, 200));
            if (gauge.find() && Double.parseDouble(gauge.group(1)) == 0) {
                return (System.nanoTime() - start) / 1e9;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the registry outbox was not relayed within 5 minutes");
    }

    /** Walks every page of the tenant's devices; returns each page's latency in nanoseconds. */
    long[] walk(String tenant) throws Exception {
        List<Long> latencies = new ArrayList<>();
        String cursor = null;
        do {
            String path = "/api/v1/tenants/" + tenant + "/devices?limit=" + PAGE + (cursor == null ? "" : "&cursor=" + cursor);
            long start = System.nanoTime();
            String page = send("GET", path, null, null, 200);
            latencies.add(System.nanoTime() - start);
            Matcher next = NEXT.matcher(page);
            cursor = next.find() ? next.group(1) : null;
        } while (cursor != null);
        return latencies.stream().mapToLong(Long::longValue).toArray();
    }

    void deleteTenant(String tenant) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/tenants/" + tenant))
                .header("Authorization", "Bearer " + token).DELETE().build();
        http.send(request, HttpResponse.BodyHandlers.discarding());
    }

    String send(String method, String path, String contentType, String body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static double ms(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
