package io.outpost.systemtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.testsupport.TestTokens;

/** One tenant's view of the inquiry REST API: handlers as its admin, inquiries as an operator. */
final class InquiryApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String base;
    private final String admin;
    private final String operator;

    InquiryApi(int port, String tenant) {
        this.base = "http://127.0.0.1:" + port + "/api/v1/tenants/" + tenant;
        this.admin = TestTokens.forTenant(tenant, "tenant-admin");
        this.operator = TestTokens.forTenant(tenant, "tenant-operator");
    }

    record Answer(int status, JsonNode body) {
    }

    Answer putHandler(String name, String body) throws IOException, InterruptedException {
        return call(admin, HttpRequest.newBuilder(URI.create(base + "/inquiry-handlers/" + name))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The device's inquiry with this request id; a null body while the service has not stored it. */
    JsonNode find(String device, String requestId) throws IOException, InterruptedException {
        JsonNode items = call(operator, HttpRequest.newBuilder(URI.create(base + "/inquiries?device=" + device
                + "&requestId=" + requestId)).GET()).body().path("items");
        return items.isArray() && items.size() == 1 ? items.get(0) : null;
    }

    Answer answer(String id, String body) throws IOException, InterruptedException {
        return call(operator, HttpRequest.newBuilder(URI.create(base + "/inquiries/" + id + "/answers"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static Answer call(String token, HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request.header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body().isEmpty() ? JSON.nullNode()
                : JSON.readTree(response.body()));
    }
}
