package io.outpost.systemtest.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.device.OutpostDevice;

/**
 * The one entry point {@code ./outpost up} starts (nginx on {@link LocalPlatform#PROXY}): every service's REST API on
 * one base URL, each path answered by the service that declares it, one merged OpenAPI document and one Swagger UI.
 * The proxy names the service behind each answer in {@code X-Outpost-Service}; the routes are checked against each
 * service's own OpenAPI document, so a path added to a service without a route fails here.
 */
@ExtendWith(LocalPlatform.class)
class EntryPointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String BASE = "http://127.0.0.1:" + LocalPlatform.PROXY;
    private static final String SERVICE = "X-Outpost-Service";
    /** Each service with a REST API, at its own port, as the proxy names it. */
    private static final Map<String, Integer> SERVICES = new LinkedHashMap<>();

    static {
        SERVICES.put("device-registry", LocalPlatform.REGISTRY);
        SERVICES.put("telemetry-service", LocalPlatform.TELEMETRY);
        SERVICES.put("command-service", LocalPlatform.COMMANDS);
        SERVICES.put("notification-service", LocalPlatform.NOTIFICATIONS);
        SERVICES.put("inquiry-service", LocalPlatform.INQUIRIES);
        SERVICES.put("remote-access-service", LocalPlatform.RELAY_1);
    }

    private static String token;

    @BeforeAll
    static void token() throws Exception {
        token = TenantApi.of("acme").token();
    }

    @Test
    void everyServiceAnswersRealCallsOnTheOnePort() throws Exception {
        // given a device created through the entry point
        String device = "gate-" + UUID.randomUUID().toString().substring(0, 8);
        String devices = "/api/v1/tenants/acme/devices";
        HttpResponse<String> created = call("POST", devices, "{\"id\":\"" + device + "\",\"credential\":{}}");
        assertEquals(201, created.statusCode(), created.body());
        assertServedBy("device-registry", created);
        assertTrue(created.headers().firstValue("Location").orElse("").contains(":" + LocalPlatform.PROXY + "/"),
                "Location points at the entry point: " + created.headers().map());

        // when each service is asked about it on the same port, then each answers for itself
        HttpResponse<String> read = call("GET", devices + "/" + device, null);
        assertEquals(200, read.statusCode(), read.body());
        assertServedBy("device-registry", read);
        assertEquals(device, JSON.readTree(read.body()).path("id").asText());

        HttpResponse<String> credentials = call("GET", devices + "/" + device + "/credentials", null);
        assertEquals(200, credentials.statusCode(), credentials.body());
        assertServedBy("device-registry", credentials);

        // the command service learns of the device from the registry's topic: 404 until then
        HttpResponse<String> command = until(() -> call("POST", devices + "/" + device + "/commands",
                "{\"name\":\"open\",\"payload\":{\"seconds\":5},\"ttl\":\"1h\"}"), answer -> answer.statusCode() != 404);
        assertEquals(202, command.statusCode(), command.body());
        assertServedBy("command-service", command);
        String commandId = JSON.readTree(command.body()).path("id").asText();
        HttpResponse<String> commandRead = call("GET", "/api/v1/tenants/acme/commands/" + commandId, null);
        assertEquals(200, commandRead.statusCode(), commandRead.body());
        assertEquals("open", JSON.readTree(commandRead.body()).path("name").asText());
        assertServedBy("command-service", commandRead);

        HttpResponse<String> telemetry = call("GET", devices + "/" + device + "/telemetry", null);
        assertEquals(200, telemetry.statusCode(), telemetry.body());
        assertServedBy("telemetry-service", telemetry);
        assertTrue(JSON.readTree(telemetry.body()).path("items").isArray(), telemetry.body());

        HttpResponse<String> notifications = call("GET", "/api/v1/tenants/acme/notifications", null);
        assertEquals(200, notifications.statusCode(), notifications.body());
        assertServedBy("notification-service", notifications);

        HttpResponse<String> inquiries = call("GET", "/api/v1/tenants/acme/inquiries?device=" + device, null);
        assertEquals(200, inquiries.statusCode(), inquiries.body());
        assertServedBy("inquiry-service", inquiries);
        HttpResponse<String> handler = call("GET", "/api/v1/tenants/acme/inquiry-handlers/weather", null);
        assertEquals(200, handler.statusCode(), handler.body());
        assertServedBy("inquiry-service", handler);

        // remote access, too, learns of the device from the registry's topic
        HttpResponse<String> policy = until(() -> call("GET", devices + "/" + device + "/remote-access", null),
                answer -> answer.statusCode() != 404);
        assertEquals(200, policy.statusCode(), policy.body());
        assertServedBy("remote-access-service", policy);
        assertEquals(device, JSON.readTree(policy.body()).path("device").asText(), policy.body());

        HttpResponse<String> me = call("GET", "/api/v1/me", null);
        assertEquals(200, me.statusCode(), me.body());
        assertServedBy("device-registry", me);
    }

    @Test
    void everyPathOfEveryServiceReachesTheServiceThatDeclaresIt() throws Exception {
        // given each service's own OpenAPI document
        List<String> misrouted = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, Integer> service : SERVICES.entrySet()) {
            JsonNode own = openApiOf(service.getValue());
            for (Iterator<String> paths = own.path("paths").fieldNames(); paths.hasNext(); ) {
                // when each of its paths (placeholders filled in) is asked through the proxy without a token
                String path = paths.next();
                String concrete = path.replace("{tenant}", "acme").replaceAll("\\{[^}]+}", "entry-point-probe");
                HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + concrete)).GET()
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                // then the service that declares it answers (401 without a token, 405 for a path without GET)
                String servedBy = answer.headers().firstValue(SERVICE).orElse("the proxy itself");
                if (!servedBy.equals(service.getKey()) || answer.statusCode() >= 500) {
                    misrouted.add(path + " of " + service.getKey() + " -> " + servedBy + " " + answer.statusCode());
                }
                checked++;
            }
        }
        assertTrue(checked >= 30, "the services declare their paths; found only " + checked);
        assertEquals(List.of(), misrouted);
    }

    @Test
    void theRelaysWebSocketPathsReachRemoteAccessAndItsInternalOnesDoNot() throws Exception {
        // when an operator's side is asked for with no token
        HttpResponse<String> side = HTTP.send(HttpRequest.newBuilder(URI.create(BASE
                + "/relay/v1/tunnels/tun_unknown/operator")).GET().build(), HttpResponse.BodyHandlers.ofString());
        // then the relay refuses it itself
        assertEquals(401, side.statusCode(), side.body());
        assertServedBy("remote-access-service", side);
        // and the links between relay nodes are not reachable from outside
        HttpResponse<String> link = HTTP.send(HttpRequest.newBuilder(URI.create(BASE
                + "/relay/internal/v1/tunnels/tun_unknown/operator")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, link.statusCode(), link.body());
        assertFalse(link.headers().firstValue(SERVICE).isPresent(), "answered by the proxy, not a service");
    }

    @Test
    void aTunnelsWebSocketCarriesBytesBothWaysThroughTheProxy() throws Exception {
        // given a device whose agent allows remote access to an echo server on its side, switched on
        try (ServerSocket echo = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread echoing = new Thread(() -> echoOnce(echo), "device-side echo");
            echoing.setDaemon(true);
            echoing.start();
            String device = "kiosk-" + UUID.randomUUID().toString().substring(0, 8);
            String devices = "/api/v1/tenants/acme/devices";
            HttpResponse<String> created = call("POST", devices, "{\"id\":\"" + device + "\",\"credential\":{}}");
            assertEquals(201, created.statusCode(), created.body());
            String secret = JSON.readTree(created.body()).path("credential").path("secret").asText();
            try (OutpostDevice agent = SdkDevices.builder(device, secret).endpoint("127.0.0.1", LocalPlatform.NODE_1_MQTT)
                    .allowRemoteAccess(echo.getLocalPort()).build()) {
                SdkDevices.connect(agent);
                HttpResponse<String> on = until(() -> call("PUT", devices + "/" + device + "/remote-access",
                        "{\"enabled\":true,\"until\":\"" + Instant.now().plusSeconds(600) + "\",\"ports\":["
                                + echo.getLocalPort() + "],\"reason\":\"platform test: the entry point\"}"),
                        answer -> answer.statusCode() != 404);
                assertEquals(200, on.statusCode(), on.body());

                // when an operator opens a tunnel and connects its side through the proxy's /relay/v1/
                HttpResponse<String> opened = call("POST", devices + "/" + device + "/tunnels",
                        "{\"port\":" + echo.getLocalPort() + "}");
                assertEquals(201, opened.statusCode(), opened.body());
                assertServedBy("remote-access-service", opened);
                JsonNode tunnel = JSON.readTree(opened.body());
                URI relayed = URI.create(tunnel.path("operatorUrl").asText());
                URI throughProxy = URI.create("ws://127.0.0.1:" + LocalPlatform.PROXY + relayed.getRawPath());
                CompletableFuture<byte[]> received = new CompletableFuture<>();
                WebSocket operator = HTTP.newWebSocketBuilder()
                        .header("Authorization", "Bearer " + tunnel.path("operatorToken").asText())
                        .buildAsync(throughProxy, new WebSocket.Listener() {
                            private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

                            @Override
                            public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
                                byte[] chunk = new byte[data.remaining()];
                                data.get(chunk);
                                bytes.write(chunk, 0, chunk.length);
                                if (bytes.size() >= 5) {
                                    received.complete(bytes.toByteArray());
                                }
                                socket.request(1);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
                                received.completeExceptionally(new AssertionError("closed " + code + " " + reason));
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
                operator.sendBinary(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)), true)
                        .get(10, TimeUnit.SECONDS);

                // then the bytes reach the device's side and its answer comes back through the proxy
                assertEquals("hello", new String(received.get(20, TimeUnit.SECONDS), StandardCharsets.US_ASCII));
                operator.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
            }
            echoing.join(5000);
        }
    }

    private static void echoOnce(ServerSocket server) {
        try (Socket socket = server.accept()) {
            socket.getInputStream().transferTo(socket.getOutputStream());
        } catch (IOException closed) {
            // the test ended: nothing more to echo
        }
    }

    @Test
    void oneOpenApiDocumentHoldsEveryServicesPaths() throws Exception {
        // when the merged document is read from the entry point
        HttpResponse<String> merged = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "/openapi.json")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, merged.statusCode());
        assertTrue(merged.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode paths = JSON.readTree(merged.body()).path("paths");
        // then every path of every service is in it, named with its service, with its operations
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Integer> service : SERVICES.entrySet()) {
            JsonNode own = openApiOf(service.getValue()).path("paths");
            for (Iterator<Map.Entry<String, JsonNode>> it = own.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> path = it.next();
                JsonNode item = paths.path(path.getKey());
                if (!item.path("x-outpost-service").asText().equals(service.getKey())) {
                    missing.add(path.getKey() + " of " + service.getKey());
                }
                for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                    String method = methods.next();
                    if (!item.has(method)) {
                        missing.add(method + " " + path.getKey() + " of " + service.getKey());
                    }
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void oneSwaggerUiShowsTheMergedDocument() throws Exception {
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "/swagger-ui/")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("url: \"/openapi.json\""), page.body());
        HttpResponse<String> bundle = HTTP.send(HttpRequest.newBuilder(URI.create(BASE
                + "/swagger-ui/swagger-ui-bundle.js")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, bundle.statusCode());
        assertTrue(bundle.body().contains("SwaggerUIBundle"), "the real Swagger UI bundle");
    }

    private static JsonNode openApiOf(int port) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/q/openapi?format=json")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), "OpenAPI of the service on " + port);
        return JSON.readTree(answer.body());
    }

    private static void assertServedBy(String service, HttpResponse<String> answer) {
        assertEquals(service, answer.headers().firstValue(SERVICE).orElse("none"),
                answer.request().method() + " " + answer.uri().getPath());
    }

    private static HttpResponse<String> call(String method, String path, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BASE + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30));
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private interface Call {
        HttpResponse<String> send() throws IOException, InterruptedException;
    }

    /** Repeats the call for up to 20 s until its answer satisfies {@code done}; returns the last answer. */
    private static HttpResponse<String> until(Call call, Predicate<HttpResponse<String>> done)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> answer = call.send();
        while (!done.test(answer) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            answer = call.send();
        }
        return answer;
    }
}
