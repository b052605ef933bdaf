package io.outpost.device.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.outpost.device.Command;
import io.outpost.device.CommandResult;
import io.outpost.device.Notification;
import io.outpost.device.OutpostDevice;

/**
 * {@code outpost-device}: one device from a terminal. Prints commands and notifications (every topic, copies dropped
 * by id) as they arrive and answers every command with {@code --answer} (default {@code succeeded}) and
 * {@code --answer-payload}; sends telemetry from
 * standard input ({@code --send stdin}: one message per line, exits at the end once the platform has them all) or at
 * a rate ({@code --send rate --rate 2 --payload '{"t":21}'}), or only listens ({@code --send none}, the default).
 */
public final class DeviceCommandLine {
    private static final String USAGE = """
            usage: outpost-device --tenant T --device D --secret S [--host 127.0.0.1] [--port 1883]
                                  [--tls CA.pem] [--websocket /mqtt] [--stream NAME]
                                  [--send none|stdin|rate] [--rate PER_SECOND] [--payload TEXT]
                                  [--answer succeeded|failed|STATUS] [--answer-payload JSON]""";

    private final PrintStream out;

    private DeviceCommandLine(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        try {
            System.exit(new DeviceCommandLine(System.out).run(new Options(args)));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
    }

    private int run(Options options) throws Exception {
        OutpostDevice.Builder builder = OutpostDevice.builder()
                .endpoint(options.optional("host", "127.0.0.1"), Integer.parseInt(options.optional("port", "1883")))
                .credentials(options.required("tenant"), options.required("device"), options.required("secret"));
        String ca = options.optional("tls", null);
        if (ca != null) {
            builder.tls(Path.of(ca));
        }
        String webSocket = options.optional("websocket", null);
        if (webSocket != null) {
            builder.webSocket(webSocket);
        }
        String stream = options.optional("stream", null);
        String send = options.optional("send", "none");
        double rate = Double.parseDouble(options.optional("rate", "1"));
        String payload = options.optional("payload", "{}");
        CommandResult answer = new CommandResult(options.optional("answer", "succeeded"),
                options.optional("answer-payload", "{}").getBytes(StandardCharsets.UTF_8), "application/json");
        options.requireAllUsed();

        try (OutpostDevice device = builder.onCommand(command -> answer(command, answer))
                .onNotification("#", this::print).build()) {
            device.connect().get(30, TimeUnit.SECONDS);
            out.println("connected");
            switch (send) {
                case "stdin" -> sendLines(device, stream);
                case "rate" -> sendAtRate(device, stream, payload, rate);
                case "none" -> new CountDownLatch(1).await();
                default -> throw new IllegalArgumentException("--send must be none, stdin or rate");
            }
        }
        return 0;
    }

    private synchronized CommandResult answer(Command command, CommandResult answer) {
        out.printf("command %s %s %s -> %s%n", command.id(), command.name(), command.text(), answer.status());
        return answer;
    }

    private synchronized void print(Notification notification) {
        out.printf("notification %s %s %s%n", notification.id(), notification.topic(), notification.text());
    }

    private void sendLines(OutpostDevice device, String stream) throws Exception {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (!line.isBlank()) {
                sent.add(send(device, stream, line));
            }
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        out.printf("sent %d%n", sent.size());
    }

    private void sendAtRate(OutpostDevice device, String stream, String payload, double rate)
            throws InterruptedException {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleAtFixedRate(() -> send(device, stream, payload).exceptionally(error -> {
            System.err.println("telemetry not taken: " + error.getMessage());
            return null;
        }), 0, (long) (1e9 / rate), TimeUnit.NANOSECONDS);
        new CountDownLatch(1).await();
    }

    private static CompletableFuture<Void> send(OutpostDevice device, String stream, String text) {
        String trimmed = text.trim();
        boolean json = trimmed.startsWith("{") || trimmed.startsWith("[");
        return device.sendTelemetry(stream, text.getBytes(StandardCharsets.UTF_8),
                json ? "application/json" : "text/plain; charset=utf-8", true);
    }
}
