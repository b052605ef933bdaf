package io.outpost.systemtest.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The Mosquitto project's command-line clients (Debian's mosquitto-clients) as a device of tenant acme. */
final class MosquittoClient {
    private final String device;
    private final String secret;
    private final int port;

    MosquittoClient(String device, String secret, int port) {
        this.device = device;
        this.secret = secret;
        this.port = port;
    }

    record Outcome(int exit, String output) {
    }

    /**
     * {@code mosquitto_pub} of a JSON payload at QoS 1 over MQTT 5, labelled {@code application/json}; exits once the
     * bridge acknowledged (or refused) it.
     */
    Outcome publish(String topic, String json) throws IOException, InterruptedException {
        return run(command("mosquitto_pub", "-q", "1", "-t", topic, "-m", json, "-D", "publish", "content-type",
                "application/json"), 30);
    }

    /** Publishes, trying again for up to 20 s while the node has not yet learnt of a new device from the registry. */
    Outcome publishOnceKnown(String topic, String json) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Outcome outcome = publish(topic, json);
        while (outcome.exit() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            outcome = publish(topic, json);
        }
        return outcome;
    }

    /** {@code mosquitto_sub} until it received {@code count} messages or {@code seconds} passed; lines "topic payload". */
    CompletableFuture<Outcome> subscribe(String filter, int count, int seconds) {
        List<String> command = command("mosquitto_sub", "-q", "1", "-v", "-t", filter, "-C",
                Integer.toString(count), "-W", Integer.toString(seconds));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return run(command, seconds + 10);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private List<String> command(String program, String... options) {
        List<String> command = new ArrayList<>(List.of(program, "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-V", "mqttv5", "-i", device, "-u", device + "@acme", "-P", secret));
        command.addAll(List.of(options));
        return command;
    }

    private static Outcome run(List<String> command, int seconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command.get(0) + " did not finish within " + seconds + " s");
        }
        return new Outcome(process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    }
}
