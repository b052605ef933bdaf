package io.outpost.systemtest.platform;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** One demo tenant's backend on the platform's REST APIs, with a real Keycloak token (client credentials). */
final class TenantApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String KEYCLOAK_TOKEN_URL = "http://127.0.0.1:8180/realms/outpost/protocol/openid-connect/token";

    private final String tenant;
    private final String token;

    private TenantApi(String tenant, String token) {
        this.tenant = tenant;
        this.token = token;
    }

    /** The backend of demo tenant {@code acme} or {@code globex} (deploy/local/keycloak): a tenant-admin. */
    static TenantApi of(String tenant) throws IOException, InterruptedException {
        String form = "grant_type=client_credentials&client_id=tenant-" + tenant + "&client_secret="
                + URLEncoder.encode(tenant + "-dev-secret", StandardCharsets.UTF_8);
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(KEYCLOAK_TOKEN_URL))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("Keycloak refused a token for " + tenant + ": " + answer.body());
        }
        return new TenantApi(tenant, JSON.readTree(answer.body()).path("access_token").asText());
    }

    /** This tenant's token on another tenant's paths: what an intruder would try. */
    TenantApi reaching(String otherTenant) {
        return new TenantApi(otherTenant, token);
    }

    record Answer(int status, String contentType, JsonNode body) {
        String text(String field) {
            return body.path(field).asText();
        }
    }

    String tenant() {
        return tenant;
    }

    /** The OIDC access token, for tools that call the APIs themselves (bin/outpost-tunnel). */
    String token() {
        return token;
    }

    /** Registers a device with a generated secret; returns the secret (shown once). */
    String createDevice(String device) throws IOException, InterruptedException {
        Answer created = post(LocalPlatform.REGISTRY, "/devices", "{\"id\":\"" + device + "\",\"credential\":{}}");
        if (created.status() != 201) {
            throw new IllegalStateException("device not created: " + created);
        }
        return created.body().path("credential").path("secret").asText();
    }

    /**
     * Sends a command ({@code query} such as {@code ?wait=10s}), trying again while the command service has not yet
     * learnt of a new device from the registry's topic (404).
     */
    Answer sendCommand(String device, String query, String command) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String path = "/devices/" + device + "/commands" + query;
        Answer answer = post(LocalPlatform.COMMANDS, path, command);
        while (answer.status() == 404 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            answer = post(LocalPlatform.COMMANDS, path, command);
        }
        return answer;
    }

    Answer post(int port, String path, String json) throws IOException, InterruptedException {
        return call(port, path, HttpRequest.newBuilder().header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Answer put(int port, String path, String json) throws IOException, InterruptedException {
        return call(port, path, HttpRequest.newBuilder().header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    Answer delete(int port, String path) throws IOException, InterruptedException {
        return call(port, path, HttpRequest.newBuilder().DELETE());
    }

    Answer get(int port, String path) throws IOException, InterruptedException {
        return call(port, path, HttpRequest.newBuilder().GET());
    }

    /** Repeats the GET until its answer satisfies {@code until} or the patience runs out; returns the last answer. */
    Answer poll(int port, String path, Predicate<Answer> until, Duration patience)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        Answer answer = get(port, path);
        while (!until.test(answer) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            answer = get(port, path);
        }
        return answer;
    }

    private Answer call(int port, String path, HttpRequest.Builder request) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/tenants/" + tenant + path);
        HttpResponse<String> response = HTTP.send(request.uri(uri).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(70)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body()));
    }
}
