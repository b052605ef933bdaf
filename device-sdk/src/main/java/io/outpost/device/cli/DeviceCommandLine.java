package io.outpost.device.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.outpost.device.Command;
import io.outpost.device.CommandResult;
import io.outpost.device.Inquiry;
import io.outpost.device.InquiryFailedException;
import io.outpost.device.Message;
import io.outpost.device.Notification;
import io.outpost.device.OutpostDevice;

/**
 * {@code outpost-device}: one device from a terminal. Prints commands and notifications (every topic, copies dropped
 * by id) as they arrive and answers every command with {@code --answer} (default {@code succeeded}) and
 * {@code --answer-payload}; sends telemetry from
 * standard input ({@code --send stdin}: one message per line, exits at the end once the platform has them all) or at
 * a rate ({@code --send rate --rate 2 --payload '{"t":21}'}), or only listens ({@code --send none}, the default).
 * Inquiries instead of telemetry: {@code --ask NAME} asks once with {@code --payload} and prints the answer;
 * {@code --subscribe NAME} prints every answer until the last one or an error, and cancels on Ctrl-C. An error answer
 * goes to standard error and the exit code is 1. {@code --allow-remote-access 22,2222} lets operators reach those local
 * ports through remote-access tunnels ({@code --remote-access-kill-switch} refuses every tunnel); tunnels are logged
 * to standard error.
 */
public final class DeviceCommandLine {
    private static final String USAGE = """
            usage: outpost-device --tenant T --device D --secret S [--host 127.0.0.1] [--port 1883]
                                  [--tls CA.pem] [--websocket /mqtt] [--stream NAME]
                                  [--receive-maximum 10] [--maximum-packet-size BYTES]
                                  [--send none|stdin|rate] [--rate PER_SECOND] [--payload TEXT]
                                  [--answer succeeded|failed|STATUS] [--answer-payload JSON]
                                  [--ask NAME [--timeout 60] | --subscribe NAME [--lifetime SECONDS]]
                                  [--allow-remote-access PORT[,PORT...] [--remote-access-kill-switch]] [--help]
                                  (--payload is also the inquiry's payload)""";
    private static final Set<String> FLAGS = Set.of("help", "remote-access-kill-switch");

    private final PrintStream out;

    private DeviceCommandLine(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        try {
            Options options = new Options(args, FLAGS);
            if (options.flag("help")) {
                System.out.println(USAGE);
                return;
            }
            System.exit(new DeviceCommandLine(System.out).run(options));
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
        builder.receiveMaximum(Integer.parseInt(options.optional("receive-maximum", "10")));
        builder.maximumPacketSize(Integer.parseInt(options.optional("maximum-packet-size", "262144")));
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
        String ask = options.optional("ask", null);
        String timeout = options.optional("timeout", null);
        String subscribe = options.optional("subscribe", null);
        String lifetime = options.optional("lifetime", null);
        String remoteAccess = options.optional("allow-remote-access", null);
        boolean killSwitch = options.flag("remote-access-kill-switch");
        options.requireAllUsed();
        if (remoteAccess != null) {
            builder.allowRemoteAccess(ports(remoteAccess)).remoteAccessKillSwitch(killSwitch);
        } else if (killSwitch) {
            throw new IllegalArgumentException("--remote-access-kill-switch goes with --allow-remote-access");
        }
        if (ask != null && subscribe != null) {
            throw new IllegalArgumentException("--ask or --subscribe, not both");
        }
        if ((ask != null || subscribe != null) && !send.equals("none")) {
            throw new IllegalArgumentException("--ask and --subscribe do not go with --send " + send);
        }
        if (lifetime != null && subscribe == null) {
            throw new IllegalArgumentException("--lifetime goes with --subscribe");
        }
        if (timeout != null && ask == null) {
            throw new IllegalArgumentException("--timeout goes with --ask");
        }
        long askTimeout = timeout == null ? 60 : Long.parseLong(timeout);
        Duration inquiryLifetime = lifetime == null ? null : Duration.ofSeconds(Long.parseLong(lifetime));

        try (OutpostDevice device = builder.onCommand(command -> answer(command, answer))
                .onNotification("#", this::print).build()) {
            device.connect().get(30, TimeUnit.SECONDS);
            out.println("connected");
            if (ask != null) {
                return ask(device, ask, payload, askTimeout);
            }
            if (subscribe != null) {
                return subscribe(device, subscribe, payload, inquiryLifetime);
            }
            switch (send) {
                case "stdin" -> sendLines(device, stream);
                case "rate" -> sendAtRate(device, stream, payload, rate);
                case "none" -> new CountDownLatch(1).await();
                default -> throw new IllegalArgumentException("--send must be none, stdin or rate");
            }
        }
        return 0;
    }

    /** {@code 22} or {@code 22,2222}: the ports of {@code --allow-remote-access}. */
    static int[] ports(String list) {
        String[] parts = list.split(",", -1);
        int[] ports = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            ports[i] = Options.number("allow-remote-access", parts[i], 1, 65_535);
        }
        return ports;
    }

    private synchronized CommandResult answer(Command command, CommandResult answer) {
        out.printf("command %s %s %s -> %s%n", command.id(), command.name(), command.text(), answer.status());
        return answer;
    }

    private synchronized void print(Notification notification) {
        out.printf("notification %s %s %s%n", notification.id(), notification.topic(), notification.text());
    }

    private synchronized void print(Message answer) {
        out.printf("%s %s %s%n", answer.last() ? "last" : "answer", answer.id(), answer.text());
    }

    /** Asks once and prints the answer; 1 if the answer is an error or none came within the timeout. */
    private int ask(OutpostDevice device, String name, String payload, long timeoutSeconds)
            throws InterruptedException {
        try {
            print(device.ask(name, payload.getBytes(StandardCharsets.UTF_8), contentType(payload))
                    .orTimeout(timeoutSeconds, TimeUnit.SECONDS).get());
            return 0;
        } catch (ExecutionException e) {
            return failed(name, e.getCause() instanceof TimeoutException
                    ? new TimeoutException("no answer within " + timeoutSeconds + " s") : e.getCause());
        }
    }

    /** Prints every answer until the last one (0) or an error (1); Ctrl-C cancels the inquiry before exiting. */
    private int subscribe(OutpostDevice device, String name, String payload, Duration lifetime)
            throws InterruptedException {
        Inquiry inquiry = device.subscribe(name, payload.getBytes(StandardCharsets.UTF_8), contentType(payload),
                lifetime, this::print);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> cancel(inquiry), "outpost-device-cancel"));
        try {
            inquiry.ended().get();
            return 0;
        } catch (ExecutionException e) {
            return failed(name, e.getCause());
        }
    }

    /** On exit: tells the platform to stop answering, unless the inquiry already ended. */
    private static void cancel(Inquiry inquiry) {
        if (inquiry.ended().isDone()) {
            return;
        }
        try {
            inquiry.cancel().get(5, TimeUnit.SECONDS);
            System.err.println("cancelled " + inquiry.requestId());
        } catch (Exception e) {
            System.err.println("cancel of " + inquiry.requestId() + " not confirmed: " + e);
        }
    }

    private static int failed(String name, Throwable error) {
        if (error instanceof InquiryFailedException failed) {
            System.err.println("error " + failed.getMessage());
        } else {
            System.err.println("error inquiry " + name + ": " + error.getMessage());
        }
        return 1;
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
        return device.sendTelemetry(stream, text.getBytes(StandardCharsets.UTF_8), contentType(text), true);
    }

    /** JSON if it starts with a brace or a bracket, else text. */
    private static String contentType(String text) {
        String trimmed = text.trim();
        return trimmed.startsWith("{") || trimmed.startsWith("[") ? "application/json" : "text/plain; charset=utf-8";
    }
}
