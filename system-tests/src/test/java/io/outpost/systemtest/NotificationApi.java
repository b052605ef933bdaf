package io.outpost.systemtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.testsupport.TestTokens;

/** One tenant's view of the notification REST API, as a tenant operator. */
final class NotificationApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String base;
    private final String token;

    NotificationApi(int port, String tenant) {
        this.base = "http://127.0.0.1:" + port + "/api/v1/tenants/" + tenant + "/notifications";
        this.token = TestTokens.forTenant(tenant, "tenant-operator");
    }

    record Answer(int status, JsonNode body) {
        String id() {
            return body.path("id").asText();
        }
    }

    Answer send(String body) throws IOException, InterruptedException {
        return call(HttpRequest.newBuilder(URI.create(base)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer get(String id) throws IOException, InterruptedException {
        return call(HttpRequest.newBuilder(URI.create(base + "/" + id)).GET());
    }

    Answer revoke(String id) throws IOException, InterruptedException {
        return call(HttpRequest.newBuilder(URI.create(base + "/" + id)).DELETE());
    }

    private Answer call(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request.header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body().isEmpty() ? JSON.nullNode()
                : JSON.readTree(response.body()));
    }
}
