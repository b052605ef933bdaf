package io.outpost.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The notification service's REST API for one tenant (HTTP/1.1, bearer token): send to a group, progress, revoke. */
final class RestNotifications {
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final Pattern ADDRESSED = Pattern.compile("\"progress\":\\{[^}]*\"addressed\":(\\d+)");
    private static final Pattern DELIVERED = Pattern.compile("\"progress\":\\{[^}]*\"delivered\":(\\d+)");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String notificationsUrl;
    private final String token;

    /** A send's answer: its HTTP status, and from a 202 the notification's id and the members it addressed. */
    record Sent(int status, String id, long addressed, String body) {
        boolean accepted() {
            return status == 202 && id != null;
        }
    }

    RestNotifications(String api, String tenant, String token) {
        this.notificationsUrl = api + "/api/v1/tenants/" + tenant + "/notifications";
        this.token = token;
    }

    Sent sendToGroup(String group, String topic, String payloadJson, String ttl)
            throws IOException, InterruptedException {
        String body = "{\"target\":{\"group\":\"" + group + "\"},\"topic\":\"" + topic + "\",\"payload\":" + payloadJson
                + ",\"ttl\":\"" + ttl + "\"}";
        HttpResponse<String> answer = http.send(request(notificationsUrl)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Sent(answer.statusCode(), first(ID, answer.body()), number(ADDRESSED, answer.body()), answer.body());
    }

    /** Members the notification reached so far (progress.delivered); -1 if it could not be read. */
    long delivered(String id) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(request(notificationsUrl + "/" + id).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return answer.statusCode() == 200 ? number(DELIVERED, answer.body()) : -1;
    }

    /** True if the notification is revoked now. */
    boolean revoke(String id) throws IOException, InterruptedException {
        return http.send(request(notificationsUrl + "/" + id).DELETE().build(), HttpResponse.BodyHandlers.discarding())
                .statusCode() == 200;
    }

    private HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30));
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.group(1) : null;
    }

    private static long number(Pattern pattern, String text) {
        String value = first(pattern, text);
        return value == null ? -1 : Long.parseLong(value);
    }
}
