package io.outpost.device.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.outpost.device.EchoServer;
import io.outpost.device.FakeRemoteAccessService;

class TunnelCommandLineTest {
    private static final Map<String, String> NO_ENVIRONMENT = Map.of();
    private static final Map<String, String> ENVIRONMENT = Map.of("OUTPOST_TOKEN", "from-the-environment");

    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : started) {
            closeable.close();
        }
    }

    @Test
    void theDefaultsAreTheLocalServiceAndTheLoopbackAddress() throws Exception {
        var settings = TunnelCommandLine.Settings.parse(
                args("--tenant", "acme", "--device", "scanner-7", "--port", "22", "--local", "2222"), ENVIRONMENT);

        assertEquals(URI.create("http://127.0.0.1:8087"), settings.api());
        assertEquals("from-the-environment", settings.token());
        assertEquals("acme", settings.tenant());
        assertEquals("scanner-7", settings.device());
        assertEquals(22, settings.port());
        assertEquals(2222, settings.local());
        assertEquals(InetAddress.getByName("127.0.0.1"), settings.bind());
        assertNull(settings.maxDuration());
        assertNull(settings.ca());
    }

    @Test
    void everyOptionCanBeSetAndTheTokenOptionWinsOverTheEnvironment() throws Exception {
        var settings = TunnelCommandLine.Settings.parse(args("--api", "https://outpost.example.com/", "--token",
                "from-the-option", "--tenant", "acme", "--device", "scanner-7", "--port", "2222", "--local", "0",
                "--bind", "0.0.0.0", "--max-duration", "PT2H", "--tls", "ca.pem"), ENVIRONMENT);

        assertEquals(URI.create("https://outpost.example.com/"), settings.api());
        assertEquals("from-the-option", settings.token());
        assertEquals(InetAddress.getByName("0.0.0.0"), settings.bind());
        assertEquals(0, settings.local());
        assertEquals(Duration.ofHours(2), settings.maxDuration());
        assertEquals("ca.pem", settings.ca().toString());
    }

    @Test
    void aTokenIsRequiredAndNeverPartOfTheSettingsText() {
        var missing = assertThrows(IllegalArgumentException.class, () -> TunnelCommandLine.Settings.parse(
                args("--tenant", "acme", "--device", "d", "--port", "22", "--local", "2222"), NO_ENVIRONMENT));
        assertEquals("--token or OUTPOST_TOKEN is required", missing.getMessage());

        var settings = TunnelCommandLine.Settings.parse(
                args("--tenant", "acme", "--device", "d", "--port", "22", "--local", "2222"), ENVIRONMENT);
        assertFalse(settings.toString().contains("from-the-environment"), settings.toString());
    }

    @Test
    void malformedOptionsAreRefusedNamingTheOption() {
        assertRefused("--port must be a number 1-65535, was 0", "--port", "0", "--local", "2222");
        assertRefused("--local must be a number 0-65535, was ssh", "--port", "22", "--local", "ssh");
        assertRefused("--max-duration must be a positive ISO-8601 duration such as PT1H, was 1h", "--port", "22",
                "--local", "2222", "--max-duration", "1h");
        assertRefused("--api must be an http:// or https:// URL, was ws://relay", "--port", "22", "--local", "2222",
                "--api", "ws://relay");
        assertRefused("--local is required", "--port", "22");
        assertRefused("unknown options: --remote", "--port", "22", "--local", "2222", "--remote", "x");
    }

    @Test
    void eachConnectionGetsATunnelToTheDevicesPortAndOneLineWhenItOpensAndCloses() throws Exception {
        EchoServer sshd = started(new EchoServer());
        FakeRemoteAccessService service = started(new FakeRemoteAccessService(Set.of(sshd.port()),
                Set.of(sshd.port())));
        Lines log = new Lines();
        int local = listen(service, sshd.port(), log);
        assertTrue(log.next().startsWith("listening on 127.0.0.1:" + local + ": each connection a tunnel to "
                + "acme/scanner-7 port " + sshd.port()));

        try (Socket ssh = new Socket(InetAddress.getLoopbackAddress(), local)) {
            ssh.setSoTimeout(10_000);
            ssh.getOutputStream().write("SSH-2.0-test\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("SSH-2.0-test\r\n", new String(ssh.getInputStream().readNBytes(14), StandardCharsets.US_ASCII));
            assertTrue(log.next().matches("tunnel tun_1 opened for 127\\.0\\.0\\.1:\\d+ to acme/scanner-7 port "
                    + sshd.port() + ", closes by .*"));
            ssh.shutdownOutput();
            assertEquals(-1, ssh.getInputStream().read());
        }

        assertEquals("tunnel tun_1 closed 1000 (the other side closed); 14 bytes sent, 14 bytes received",
                log.next());
        assertEquals("{\"port\":" + sshd.port() + ",\"maxDuration\":\"PT10M\"}", service.requestBodies().get(0));
        for (String token : service.tokens()) {
            assertFalse(log.all().contains(token), "a token was printed");
        }
    }

    @Test
    void aRefusedTunnelClosesThatConnectionOnlyAndSaysWhy() throws Exception {
        FakeRemoteAccessService service = started(new FakeRemoteAccessService(Set.of(22), Set.of(22)));
        Lines log = new Lines();
        int local = listen(service, 23, log);
        log.next();

        for (int connection = 0; connection < 2; connection++) {
            try (Socket ssh = new Socket(InetAddress.getLoopbackAddress(), local)) {
                ssh.setSoTimeout(10_000);
                assertEquals(-1, ssh.getInputStream().read());
            }
            assertTrue(log.next().matches("tunnel for 127\\.0\\.0\\.1:\\d+ refused: HTTP 403: Remote access not "
                    + "allowed: port 23 is not allowed for scanner-7"));
        }
    }

    /** Starts the command line's listener on a free port; returns the port. */
    private int listen(FakeRemoteAccessService service, int port, Lines log) throws IOException {
        var settings = TunnelCommandLine.Settings.parse(args("--api", service.api().toString(), "--tenant", "acme",
                "--device", "scanner-7", "--port", String.valueOf(port), "--local", "0", "--max-duration", "PT10M"),
                Map.of("OUTPOST_TOKEN", FakeRemoteAccessService.OIDC_TOKEN));
        TunnelCommandLine commandLine = new TunnelCommandLine(settings, log.stream());
        ServerSocket server = started(commandLine.bind());
        Thread listener = new Thread(() -> commandLine.serve(server), "test-listener");
        listener.setDaemon(true);
        listener.start();
        return server.getLocalPort();
    }

    private <T extends AutoCloseable> T started(T closeable) {
        started.add(0, closeable);
        return closeable;
    }

    private static void assertRefused(String message, String... options) {
        List<String> all = new ArrayList<>(List.of("--tenant", "acme", "--device", "scanner-7"));
        all.addAll(List.of(options));
        var refused = assertThrows(IllegalArgumentException.class,
                () -> TunnelCommandLine.Settings.parse(all.toArray(String[]::new), ENVIRONMENT));
        assertEquals(message, refused.getMessage());
    }

    private static String[] args(String... args) {
        return args;
    }

    /** Standard error of the command line, line by line, for waiting on the next line. */
    private static final class Lines {
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder all = new StringBuilder();
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();
        private final PrintStream stream = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (Lines.this) {
                    if (b == '\n') {
                        String line = current.toString(StandardCharsets.UTF_8);
                        current.reset();
                        all.append(line).append('\n');
                        lines.add(line);
                    } else {
                        current.write(b);
                    }
                }
            }
        }, true, StandardCharsets.UTF_8);

        PrintStream stream() {
            return stream;
        }

        String next() throws InterruptedException {
            String line = lines.poll(10, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("no line within 10 s; so far: " + all());
            }
            return line;
        }

        synchronized String all() {
            return all.toString();
        }
    }
}
