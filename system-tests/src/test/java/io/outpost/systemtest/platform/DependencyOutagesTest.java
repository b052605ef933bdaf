package io.outpost.systemtest.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.outpost.device.CommandResult;
import io.outpost.device.OutpostDevice;
import io.outpost.systemtest.TwoBridgeNodesTest;

/**
 * The platform's own PostgreSQL, then its Kafka broker, killed with SIGKILL under light load (a device publishing
 * QoS 1 telemetry, commands) and started again by {@code ./outpost up}: no service is restarted (same pids), every
 * liveness check stays up throughout, every service is ready within 30 s of the dependency accepting connections
 * again (its own start, such as Kafka's log recovery after the kill, is not counted), every acknowledged
 * reading is stored exactly once and every command reaches a final state. Figures go to
 * {@code target/system-test-figures.txt}.
 */
@ExtendWith(LocalPlatform.class)
class DependencyOutagesTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Every service process of {@code OUTPOST_BRIDGE_NODES=2 ./outpost up}, by component, with its HTTP port. */
    private static final Map<String, Integer> SERVICES = Map.of("device-registry", 8081, "mqtt-bridge", 8082,
            "telemetry-service", 8083, "command-service", 8084, "notification-service", 8085, "inquiry-service",
            8086, LocalPlatform.NODE_2, 8092);
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final Duration BACK_WITHIN = Duration.ofSeconds(30);

    @Test
    void everyServiceRidesOutAPostgresCrash() throws Exception {
        rideOut("postgres", 5433, 503);
    }

    @Test
    void everyServiceRidesOutAKafkaCrash() throws Exception {
        rideOut("kafka", 9092, 202);
    }

    /** {@code commandStatus}: what sending a command answers while the dependency is down. */
    private void rideOut(String dependency, int port, int commandStatus) throws Exception {
        Map<String, String> pids = servicePids();
        TenantApi acme = TenantApi.of("acme");
        String device = "meter-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = acme.createDevice(device);
        List<String> ran = new CopyOnWriteArrayList<>();
        try (OutpostDevice meter = SdkDevices.builder(device, secret).endpoint("127.0.0.1", LocalPlatform.NODE_1_MQTT)
                .onCommand(command -> {
                    ran.add(command.name());
                    return CommandResult.succeeded("{}");
                }).build()) {
            SdkDevices.connect(meter);
            Readings readings = new Readings(meter);
            await().atMost(Duration.ofSeconds(20)).until(() -> readings.acknowledged.size() >= 10);

            long killed = System.nanoTime();
            LocalPlatform.kill(dependency);
            String during;
            CompletableFuture<Long> accepting = new CompletableFuture<>();
            try {
                TenantApi.Answer sent = acme.post(LocalPlatform.COMMANDS, "/devices/" + device + "/commands",
                        "{\"name\":\"during\",\"ttl\":\"PT10M\"}");
                assertEquals(commandStatus, sent.status(), sent.toString());
                assertTrue(sent.contentType().startsWith(sent.status() == 202 ? "application/json"
                        : "application/problem+json"), sent.toString());
                during = sent.status() == 202 ? sent.text("id") : null;
                await().during(OUTAGE).atMost(OUTAGE.plusSeconds(10)).until(DependencyOutagesTest::allLive);
            } finally {
                CompletableFuture.runAsync(() -> accepting.complete(awaitAccepting(port)));
                LocalPlatform.up();
            }
            long ready = System.nanoTime();
            // up returns once every service is ready; the dependency's own start (Kafka's log recovery) is not theirs.
            Duration back = Duration.ofNanos(ready - accepting.get(5, TimeUnit.SECONDS));
            assertEquals(pids, servicePids(), "no service was restarted");
            assertTrue(allLive() && allReady(), "every service live and ready");
            assertTrue(back.compareTo(BACK_WITHIN) < 0, "ready again within " + BACK_WITHIN + " of " + dependency
                    + ", took " + back);

            TenantApi.Answer after = acme.sendCommand(device, "?wait=20s", "{\"name\":\"after\"}");
            assertEquals("SUCCEEDED", after.text("state"), after.toString());
            if (during != null) {
                TenantApi.Answer sentDuring = acme.poll(LocalPlatform.COMMANDS, "/commands/" + during,
                        answer -> answer.text("state").equals("SUCCEEDED"), BACK_WITHIN);
                assertEquals("SUCCEEDED", sentDuring.text("state"), sentDuring.toString());
            }
            int sent = readings.stop();
            Set<Integer> acknowledged = Set.copyOf(readings.acknowledged);
            Map<Integer, Integer> stored = awaitStored(acme, device, acknowledged);
            List<Integer> twice = stored.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                    .toList();
            assertTrue(stored.keySet().containsAll(acknowledged), "every acknowledged reading is stored");
            assertTrue(twice.stream().noneMatch(acknowledged::contains) || dependency.equals("kafka"),
                    "stored twice: " + twice);
            TwoBridgeNodesTest.report(String.format("%s SIGKILL: down %.1f s, every service ready %.1f s after it"
                    + " accepted connections;"
                    + " readings sent %d, acknowledged %d, stored %d (twice: %d, resent after no PUBACK); commands %s%n",
                    dependency, seconds(accepting.get() - killed), seconds(back.toNanos()), sent, acknowledged.size(),
                    stored.size(), twice.size(), ran));
        }
    }

    /** A reading {@code {"n": i}} every 100 ms, QoS 1; {@link #acknowledged} holds those the bridge PUBACKed. */
    private static final class Readings {
        final Set<Integer> acknowledged = new ConcurrentSkipListSet<>();
        private final AtomicInteger next = new AtomicInteger();
        private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();

        Readings(OutpostDevice device) {
            sender.scheduleAtFixedRate(() -> {
                int n = next.getAndIncrement();
                device.sendTelemetry("load", "{\"n\":" + n + "}").thenRun(() -> acknowledged.add(n));
            }, 0, 100, TimeUnit.MILLISECONDS);
        }

        /** Stops sending; returns how many were sent. */
        int stop() throws InterruptedException {
            sender.shutdown();
            sender.awaitTermination(5, TimeUnit.SECONDS);
            return next.get();
        }
    }

    /** How often each reading is stored, once every acknowledged one is (or the patience ran out). */
    private static Map<Integer, Integer> awaitStored(TenantApi api, String device, Set<Integer> acknowledged)
            throws Exception {
        long deadline = System.nanoTime() + BACK_WITHIN.toNanos();
        Map<Integer, Integer> stored = stored(api, device);
        while (!stored.keySet().containsAll(acknowledged) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            stored = stored(api, device);
        }
        return stored;
    }

    private static Map<Integer, Integer> stored(TenantApi api, String device) throws Exception {
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

    /** When the dependency's port accepts a connection again (System.nanoTime). */
    private static long awaitAccepting(int port) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return System.nanoTime();
            } catch (IOException notYet) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
        throw new IllegalStateException("port " + port + " never accepted connections again");
    }

    private static Map<String, String> servicePids() throws IOException {
        Map<String, String> pids = new LinkedHashMap<>();
        for (String service : new TreeMap<>(SERVICES).keySet()) {
            pids.put(service, Files.readString(LocalPlatform.ROOT.resolve(".outpost/pids/" + service + ".pid")).trim());
        }
        return pids;
    }

    private static boolean allLive() {
        return SERVICES.values().stream().allMatch(port -> healthy(port, "live"));
    }

    private static boolean allReady() {
        return SERVICES.values().stream().allMatch(port -> healthy(port, "ready"));
    }

    private static boolean healthy(int port, String check) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/" + check))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
