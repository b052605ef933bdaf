package io.outpost.systemtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.testsupport.TestTokens;

/**
 * The device registry as a real process on the in-process Kafka and a database of its own, with the REST calls the
 * tests make: a platform admin creates tenants, a tenant admin creates devices and reads their connection status.
 * Devices it creates reach the bridge nodes through its own outbox, as in production.
 */
final class RegistryNode implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ServiceProcess process;
    private final String base;

    private RegistryNode(ServiceProcess process) {
        this.process = process;
        this.base = "http://127.0.0.1:" + process.httpPort() + "/api/v1/tenants";
    }

    static RegistryNode start(String name) {
        return new RegistryNode(CommandServiceNode.startService("device-registry", name, Databases.create("registry")));
    }

    void createTenant(String tenant) throws IOException, InterruptedException {
        String admin = TestTokens.mint("platform-admin", List.of(), "platform-admin");
        expect(201, call(HttpRequest.newBuilder(URI.create(base)).POST(body("{\"id\":\"" + tenant + "\",\"name\":\""
                + tenant + "\"}")), admin));
    }

    /** Creates an enabled device whose credential is {@code secret}. */
    void createDevice(String tenant, String device, String secret) throws IOException, InterruptedException {
        expect(201, call(HttpRequest.newBuilder(URI.create(base + "/" + tenant + "/devices")).POST(body("{\"id\":\""
                + device + "\",\"credential\":{\"secret\":\"" + secret + "\"}}")), TestTokens.forTenant(tenant,
                        "tenant-admin")));
    }

    /** The device's {@code connection} as {@code GET .../devices/{device}} shows it. */
    JsonNode connection(String tenant, String device) throws IOException, InterruptedException {
        HttpResponse<String> response = call(HttpRequest.newBuilder(URI.create(base + "/" + tenant + "/devices/"
                + device)).GET(), TestTokens.forTenant(tenant, "tenant-viewer"));
        expect(200, response);
        return JSON.readTree(response.body()).path("connection");
    }

    /** Polls the device's connection until {@code condition} holds; returns its last reading either way. */
    JsonNode awaitConnection(String tenant, String device, Predicate<JsonNode> condition, Duration limit)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        JsonNode connection = connection(tenant, device);
        while (!condition.test(connection) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            connection = connection(tenant, device);
        }
        return connection;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }

    private static HttpRequest.BodyPublisher body(String json) {
        return HttpRequest.BodyPublishers.ofString(json);
    }

    private static HttpResponse<String> call(HttpRequest.Builder request, String token)
            throws IOException, InterruptedException {
        return HTTP.send(request.header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new AssertionError(response.request().method() + " " + response.request().uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
    }
}
