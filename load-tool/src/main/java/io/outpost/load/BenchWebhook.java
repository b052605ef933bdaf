package io.outpost.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A tenant's webhook on 127.0.0.1 (the JDK's HTTP server): checks each call's {@code Outpost-Signature}
 * ({@code t={unix seconds},v1={hex HMAC-SHA256 of "{t}.{body}"}}, docs/inquiry-api.md) and answers at once, 200 with a
 * fixed JSON body; a call that is unsigned, wrongly signed or signed more than 300 s off this clock gets 401. When
 * each request id was called ({@link System#nanoTime()}) is kept until asked for, so a round trip splits in two.
 */
final class BenchWebhook implements AutoCloseable {
    static final String PATH = "/inquiry";
    private static final String SIGNATURE = "Outpost-Signature";
    private static final long TOLERANCE_SECONDS = 300;
    private static final Pattern REQUEST_ID = Pattern.compile("\"requestId\":\"([^\"]+)\"");

    private final String secret = newSecret();
    private final byte[] answer;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "bench-webhook");
        thread.setDaemon(true);
        return thread;
    });
    private final LongAdder answered = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final Map<String, Long> calledAt = new ConcurrentHashMap<>();

    BenchWebhook(String answerJson) throws IOException {
        this.answer = answerJson.getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        server.createContext(PATH, this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** Its URL, plain http on 127.0.0.1 (the service must allow loopback http). */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    /** The signing secret to register with the handler (43 characters, base64url of 32 random bytes). */
    String secret() {
        return secret;
    }

    long answered() {
        return answered.sum();
    }

    long refused() {
        return refused.sum();
    }

    /** When the call for {@code requestId} came (nanoTime), forgotten once asked; null if none came. */
    Long calledAt(String requestId) {
        return calledAt.remove(requestId);
    }

    private void handle(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (!verified(secret, exchange.getRequestHeaders().getFirst(SIGNATURE), body,
                    System.currentTimeMillis() / 1000)) {
                refused.increment();
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            Matcher requestId = REQUEST_ID.matcher(new String(body, StandardCharsets.UTF_8));
            if (requestId.find()) {
                calledAt.put(requestId.group(1), now);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
            answered.increment();
        }
    }

    /** Whether {@code header} signs {@code body} with {@code secret} at a time within 300 s of {@code nowSeconds}. */
    static boolean verified(String secret, String header, byte[] body, long nowSeconds) {
        if (header == null) {
            return false;
        }
        String t = null;
        String v1 = null;
        for (String part : header.split(",")) {
            int equals = part.indexOf('=');
            if (equals > 0) {
                String name = part.substring(0, equals).trim();
                if (name.equals("t")) {
                    t = part.substring(equals + 1).trim();
                } else if (name.equals("v1")) {
                    v1 = part.substring(equals + 1).trim();
                }
            }
        }
        if (t == null || v1 == null || !t.matches("[0-9]{1,12}")
                || Math.abs(nowSeconds - Long.parseLong(t)) > TOLERANCE_SECONDS) {
            return false;
        }
        byte[] expected = HexFormat.of().formatHex(hmac(secret, t, body)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, v1.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] hmac(String secret, String t, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private static String newSecret() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
