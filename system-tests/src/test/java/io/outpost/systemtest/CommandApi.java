package io.outpost.systemtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.testsupport.TestTokens;

/** One tenant's view of the command REST API, as a tenant operator. */
final class CommandApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String base;
    private final String token;

    CommandApi(int port, String tenant) {
        this.base = "http://127.0.0.1:" + port + "/api/v1/tenants/" + tenant;
        this.token = TestTokens.forTenant(tenant, "tenant-operator");
    }

    record Answer(int status, JsonNode body) {
        String id() {
            return body.path("id").asText();
        }

        String state() {
            return body.path("state").asText();
        }

        /** When the service stored it: the order the device's mailbox keeps. */
        Instant createdAt() {
            return Instant.parse(body.path("createdAt").asText());
        }
    }

    /**
     * Sends a command, retrying while the service has not yet learnt of the device from the registry topic (404):
     * the record travels through Kafka to another process. {@code query} is appended as is, e.g. {@code ?wait=5s}.
     */
    Answer send(String device, String body, String query) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Answer answer = call(HttpRequest.newBuilder(URI.create(base + "/devices/" + device + "/commands" + query))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
            if (answer.status() != 404 || System.nanoTime() > deadline) {
                return answer;
            }
            Thread.sleep(100);
        }
    }

    Answer get(String commandId) throws IOException, InterruptedException {
        return call(HttpRequest.newBuilder(URI.create(base + "/commands/" + commandId)).GET());
    }

    /** Polls the command until it is in {@code state}; returns its last reading either way. */
    Answer awaitState(String commandId, String state, Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        Answer answer = get(commandId);
        while (!answer.state().equals(state) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            answer = get(commandId);
        }
        return answer;
    }

    private Answer call(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request.header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(70)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body().isEmpty() ? JSON.nullNode()
                : JSON.readTree(response.body()));
    }
}
