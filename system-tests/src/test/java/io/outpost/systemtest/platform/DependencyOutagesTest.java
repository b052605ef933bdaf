package io.outpost.systemtest.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.outpost.device.CommandResult;
import io.outpost.device.OutpostDevice;
import io.outpost.systemtest.TwoBridgeNodesTest;

/**
 * The platform's own PostgreSQL, then all its Kafka brokers, killed with SIGKILL under light load (a device publishing
 * QoS 1 telemetry, commands) and started again by {@code ./outpost up}: no service is restarted (same pids), every
 * liveness check stays up throughout, every service is ready within 30 s of the dependency accepting connections
 * again on every port (all brokers, for Kafka; its own start, such as Kafka's log recovery after the kill, is not
 * counted, nor is what {@code up} does after its services are ready), every acknowledged
 * reading is stored exactly once and every command reaches a final state. Figures go to
 * {@code target/system-test-figures.txt}.
 */
@ExtendWith(LocalPlatform.class)
class DependencyOutagesTest {
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final Duration BACK_WITHIN = Duration.ofSeconds(30);

    @Test
    void everyServiceRidesOutAPostgresCrash() throws Exception {
        rideOut("postgres", List.of(5433), 503);
    }

    /** All three brokers of the platform tests' cluster at once: Kafka as a whole is gone. */
    @Test
    void everyServiceRidesOutAKafkaCrash() throws Exception {
        rideOut("kafka", List.copyOf(LocalPlatform.KAFKA_BROKERS.values()), 202);
    }

    /** {@code commandStatus}: what sending a command answers while the dependency is down. */
    private void rideOut(String dependency, List<Integer> ports, int commandStatus) throws Exception {
        Map<String, String> pids = PlatformChecks.servicePids();
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
            ReadingLoad readings = new ReadingLoad(Map.of(device, meter), Duration.ofMillis(100));
            await().atMost(Duration.ofSeconds(20)).until(() -> readings.acknowledgedCount() >= 10);

            long killed = System.nanoTime();
            if (dependency.equals("kafka")) {
                LocalPlatform.killKafka();
            } else {
                LocalPlatform.kill(dependency);
            }
            String during;
            CompletableFuture<Long> accepting = new CompletableFuture<>();
            CompletableFuture<Long> allReady = accepting.thenApplyAsync(at -> awaitAllReady());
            try {
                TenantApi.Answer sent = acme.post(LocalPlatform.COMMANDS, "/devices/" + device + "/commands",
                        "{\"name\":\"during\",\"ttl\":\"PT10M\"}");
                assertEquals(commandStatus, sent.status(), sent.toString());
                assertTrue(sent.contentType().startsWith(sent.status() == 202 ? "application/json"
                        : "application/problem+json"), sent.toString());
                during = sent.status() == 202 ? sent.text("id") : null;
                await().during(OUTAGE).atMost(OUTAGE.plusSeconds(10)).until(() -> PlatformChecks.notLive().isEmpty());
            } finally {
                CompletableFuture.runAsync(() -> accepting.complete(awaitAccepting(ports)));
                LocalPlatform.up();
            }
            Duration back = Duration.ofNanos(allReady.get(1, TimeUnit.MINUTES) - accepting.get());
            assertEquals(pids, PlatformChecks.servicePids(), "no service was restarted");
            assertTrue(PlatformChecks.allLive() && PlatformChecks.allReady(), "every service live and ready");
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
            Set<Integer> acknowledged = readings.acknowledged(device);
            Map<Integer, Integer> stored = PlatformChecks.awaitStored(acme, device, acknowledged, BACK_WITHIN);
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

    /** When the last of the dependency's ports accepts a connection again (System.nanoTime). */
    private static long awaitAccepting(List<Integer> ports) {
        long at = 0;
        for (int port : ports) {
            at = awaitAccepting(port);
        }
        return at;
    }

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

    /** When every service answers its readiness check with 200 (System.nanoTime). */
    private static long awaitAllReady() {
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(PlatformChecks::allReady);
        return System.nanoTime();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
