package io.outpost.device;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for remote-access-service with one device, {@code acme/scanner-7}, behind it: {@code POST
 * /api/v1/tenants/acme/devices/scanner-7/tunnels} with the operator's bearer token opens a tunnel on a
 * {@link TestRelay} and hands the device's agent (which allows {@code devicePorts}) its request, as the platform does
 * over MQTT; ports outside {@code policyPorts} get 403 problem+json, other devices 404, another token 401. Remembers
 * every token it issued, so a test can check that none is printed.
 */
public final class FakeRemoteAccessService implements AutoCloseable {
    public static final String OIDC_TOKEN = "oidc-" + UUID.randomUUID();
    private static final String TUNNELS = "/api/v1/tenants/acme/devices/scanner-7/tunnels";

    private final TestRelay relay = new TestRelay();
    private final RemoteAccessAgent agent;
    private final Set<Integer> policyPorts;
    private final HttpServer server;
    private final AtomicInteger tunnels = new AtomicInteger();
    private final List<String> issuedTokens = new CopyOnWriteArrayList<>(List.of(OIDC_TOKEN));
    private final List<String> requestBodies = new CopyOnWriteArrayList<>();

    public FakeRemoteAccessService(Set<Integer> devicePorts, Set<Integer> policyPorts)
            throws IOException, InterruptedException {
        this.agent = new RemoteAccessAgent("scanner-7", devicePorts, false, null, Clock.systemUTC());
        this.policyPorts = policyPorts;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/", this::handle);
        server.start();
    }

    public URI api() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public TestRelay relay() {
        return relay;
    }

    /** The operator's OIDC token and every token issued for the relay. */
    public List<String> tokens() {
        return List.copyOf(issuedTokens);
    }

    /** The bodies of the {@code POST}s, in order. */
    public List<String> requestBodies() {
        return List.copyOf(requestBodies);
    }

    @Override
    public void close() {
        server.stop(0);
        agent.close();
        relay.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!("Bearer " + OIDC_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            problem(exchange, 401, "Unauthorized", "no valid access token");
            return;
        }
        if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals(TUNNELS)) {
            problem(exchange, 404, "Not Found", "no device " + exchange.getRequestURI().getPath());
            return;
        }
        requestBodies.add(body);
        Long port = Json.longField(body, "port");
        if (port == null || !policyPorts.contains(port.intValue())) {
            problem(exchange, 403, "Remote access not allowed", "port " + port + " is not allowed for scanner-7");
            return;
        }
        String tunnel = "tun_" + tunnels.incrementAndGet();
        String deviceToken = "device-" + UUID.randomUUID();
        String operatorToken = "operator-" + UUID.randomUUID();
        issuedTokens.add(deviceToken);
        issuedTokens.add(operatorToken);
        relay.expect(tunnel, TestRelay.DEVICE, deviceToken);
        relay.expect(tunnel, TestRelay.OPERATOR, operatorToken);
        agent.receive(("{\"tunnel\":\"" + tunnel + "\",\"port\":" + port + ",\"url\":\""
                + relay.url(tunnel, TestRelay.DEVICE) + "\",\"token\":\"" + deviceToken + "\",\"expiresAt\":\""
                + Instant.now().plusSeconds(30) + "\"}").getBytes(StandardCharsets.UTF_8));
        respond(exchange, 201, "application/json", "{\"id\":\"" + tunnel + "\",\"device\":\"scanner-7\",\"port\":" + port
                + ",\"state\":\"OPENING\",\"operatorUrl\":\"" + relay.url(tunnel, TestRelay.OPERATOR)
                + "\",\"operatorToken\":\"" + operatorToken + "\",\"tokenExpiresAt\":\"" + Instant.now().plusSeconds(30)
                + "\",\"closesBy\":\"" + Instant.now().plusSeconds(3600) + "\"}");
    }

    private static void problem(HttpExchange exchange, int status, String title, String detail) throws IOException {
        respond(exchange, status, "application/problem+json", "{\"type\":\"about:blank\",\"title\":\"" + title
                + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\",\"field\":\"port\"}");
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
