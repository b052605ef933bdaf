package io.outpost.systemtest.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The local platform as users start it: {@code ./outpost up} with two bridge nodes, two relay nodes and a 3-broker
 * Kafka cluster
 * (replication 3, min in-sync 2, as in production), once for all platform tests.
 * Stopped with {@code ./outpost down} after the last test, unless it was already running before.
 */
final class LocalPlatform implements BeforeAllCallback {
    static final Path ROOT = Path.of(System.getProperty("outpost.root", "..")).toAbsolutePath().normalize();
    static final int REGISTRY = 8081;
    static final int TELEMETRY = 8083;
    static final int COMMANDS = 8084;
    static final int NOTIFICATIONS = 8085;
    static final int INQUIRIES = 8086;
    /** The one entry point (nginx): every service's REST API, the merged OpenAPI document and Swagger UI. */
    static final int PROXY = 8080;
    /** The two relay nodes of remote access (remote-access-service and remote-access-service-2). */
    static final int RELAY_1 = 8087;
    static final int RELAY_2 = 8088;
    static final int NODE_1_MQTT = 1883;
    static final int NODE_1_MQTTS = 8883;
    static final int NODE_2_MQTT = 1893;
    static final String NODE_2 = "mqtt-bridge-2";
    /** The Kafka brokers, by component, with their ports; node ids 1, 2, 3 in this order. */
    static final Map<String, Integer> KAFKA_BROKERS = Map.of("kafka", 9092, "kafka-2", 9094, "kafka-3", 9096);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(LocalPlatform.class, key -> start(), Running.class);
    }

    /** The development CA that signed the bridge's TLS certificate. */
    static Path certificateAuthority() {
        return ROOT.resolve(".outpost/tls/ca.crt");
    }

    /**
     * Up to {@code limit} lines of the components' logs ({@code .outpost/logs}) that mention any of the words, each
     * prefixed with its log's name: what a failed test reports so that a CI run can be diagnosed afterwards.
     */
    static List<String> logLinesMentioning(int limit, List<String> words) {
        List<String> found = new ArrayList<>();
        try (var logs = Files.list(ROOT.resolve(".outpost/logs"))) {
            for (Path log : logs.sorted().toList()) {
                try (var lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
                    lines.filter(line -> words.stream().anyMatch(line::contains)).limit(limit - found.size())
                            .forEach(line -> found.add(log.getFileName() + ": " + line));
                }
                if (found.size() >= limit) {
                    break;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            found.add("the logs could not be read: " + e);
        }
        return found;
    }

    /** SIGKILLs one component, as a crash would. */
    static void kill(String component) throws IOException, InterruptedException {
        String pid = Files.readString(ROOT.resolve(".outpost/pids/" + component + ".pid")).trim();
        run(List.of("kill", "-KILL", pid), log());
    }

    /** SIGKILLs every Kafka broker at once. */
    static void killKafka() throws IOException, InterruptedException {
        for (String broker : KAFKA_BROKERS.keySet()) {
            kill(broker);
        }
    }

    /** Starts whatever is not running (after {@link #kill}) and waits until all of it is ready. */
    static void up() {
        int exit = outpost("up");
        if (exit != 0) {
            throw new IllegalStateException("./outpost up failed (" + exit + "); see " + log());
        }
    }

    private static Running start() {
        boolean wasStopped = outpost("status") != 0 && !anyRunning();
        up();
        return new Running(wasStopped);
    }

    private static boolean anyRunning() {
        try (var pids = Files.list(ROOT.resolve(".outpost/pids"))) {
            return pids.findAny().isPresent();
        } catch (IOException noStateYet) {
            return false;
        }
    }

    private static int outpost(String command) {
        try {
            return run(List.of(ROOT.resolve("outpost").toString(), command), log());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("./outpost " + command + " could not run", e);
        }
    }

    private static int run(List<String> command, Path output) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().put("OUTPOST_BRIDGE_NODES", "2");
        builder.environment().put("OUTPOST_KAFKA_BROKERS", "3");
        builder.environment().put("OUTPOST_RELAY_NODES", "2");
        // Every test device connects from 127.0.0.1, where the bridge counts failed CONNECTs per address (50 a
        // minute, then CONNECTION_RATE_EXCEEDED): new devices retried before a node knew them used that up.
        builder.environment().put("OUTPOST_BRIDGE_AUTH_MAX_FAILURES_PER_ADDRESS", "1000000");
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish within 15 minutes");
        }
        return process.exitValue();
    }

    private static Path log() {
        return ROOT.resolve("system-tests/target/outpost-platform.log");
    }

    /** Closed by JUnit after the last test class: stops the platform if these tests started it. */
    private record Running(boolean startedHere) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            if (startedHere) {
                outpost("down");
            }
        }
    }
}
