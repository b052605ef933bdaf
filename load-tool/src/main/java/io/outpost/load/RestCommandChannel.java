package io.outpost.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Commands through the command service's REST API: accepted means 202. */
final class RestCommandChannel implements CommandChannel {
    // HTTP/1.1 with a connection per caller, as most API clients do; the JDK's HTTP/2 default would multiplex every
    // call over one connection, and the server's threads would queue on that connection.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String devicesUrl;
    private final String token;

    RestCommandChannel(String api, String tenant, String token) {
        this.devicesUrl = api + "/api/v1/tenants/" + tenant + "/devices/";
        this.token = token;
    }

    @Override
    public CompletableFuture<Boolean> send(String device, long seq) {
        String body = "{\"name\":\"c" + seq + "\",\"payload\":{\"seq\":" + seq + "},\"ttl\":\"PT5M\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(devicesUrl + device + "/commands"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .thenApply(answer -> answer.statusCode() == 202);
    }
}
