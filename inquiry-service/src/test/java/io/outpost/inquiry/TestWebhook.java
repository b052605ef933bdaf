package io.outpost.inquiry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A tenant's webhook, a real HTTP server on loopback: checks every call's signature the way docs/inquiry-api.md tells
 * receivers to (HMAC-SHA256 over "{t}.{body}", t not older than 5 minutes), records the calls and answers as told.
 */
final class TestWebhook implements AutoCloseable {
    record Call(String signature, JsonNode body) {
        String event() {
            return body.path("event").asText();
        }
    }

    record Reply(int status, String contentType, String body, String answerType) {
        static Reply json(String body) {
            return new Reply(200, "application/json", body, null);
        }

        static Reply status(int status) {
            return new Reply(status, null, "", null);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final String secret;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Function<Call, Reply> replies = call -> Reply.status(204);
    private volatile boolean hold;

    TestWebhook(String secret) throws IOException {
        this.secret = secret;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/hook", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    TestWebhook answering(Function<Call, Reply> replies) {
        this.replies = replies;
        return this;
    }

    /** Holds every response until {@link #close()}: the service's timeout comes first. */
    TestWebhook holding() {
        hold = true;
        return this;
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    List<Call> calls(String event) {
        return calls.stream().filter(call -> call.event().equals(event)).toList();
    }

    /** Calls whose signature did not verify. */
    int refused() {
        return refused.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String signature = exchange.getRequestHeaders().getFirst("Outpost-Signature");
        if (!verifies(signature, body)) {
            refused.incrementAndGet();
            respond(exchange, Reply.status(401));
            return;
        }
        Call call = new Call(signature, JSON.readTree(body));
        calls.add(call);
        if (hold) {
            try {
                released.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        respond(exchange, replies.apply(call));
    }

    private boolean verifies(String header, byte[] body) {
        if (header == null || !header.matches("t=\\d+,v1=[0-9a-f]{64}")) {
            return false;
        }
        long t = Long.parseLong(header.substring(2, header.indexOf(',')));
        if (Math.abs(System.currentTimeMillis() / 1000 - t) > 300) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = mac.doFinal(body);
            return MessageDigest.isEqual(expected, HexFormat.of().parseHex(header.substring(header.indexOf("v1=") + 3)));
        } catch (Exception e) {
            return false;
        }
    }

    private static void respond(HttpExchange exchange, Reply reply) throws IOException {
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        if (reply.contentType() != null) {
            exchange.getResponseHeaders().add("Content-Type", reply.contentType());
        }
        if (reply.answerType() != null) {
            exchange.getResponseHeaders().add("Outpost-Answer-Type", reply.answerType());
        }
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
