package io.outpost.load;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * remote-access-service's REST API for one tenant (HTTP/1.1, bearer token), as far as the tunnel benchmark needs it
 * beyond what {@link io.outpost.device.RemoteAccessClient} does: the fleet's switch, a device's effective policy, one
 * tunnel, and closing one.
 */
final class RestRemoteAccess {
    private static final Pattern STATE = Pattern.compile("\"state\":\"([A-Z]+)\"");
    private static final Pattern BYTES_TO_DEVICE = Pattern.compile("\"bytesToDevice\":(\\d+)");
    private static final Pattern CLOSE_CODE = Pattern.compile("\"closeCode\":(\\d+)");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String tenantUrl;
    private final String token;

    /** An answer's status and body. */
    record Answer(int status, String body) {
        boolean ok() {
            return status / 100 == 2;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** A tunnel as {@code GET .../tunnels/{id}} shows it (null fields when the answer lacked them). */
    record TunnelState(String state, Long bytesToDevice, Integer closeCode) {
        boolean closed() {
            return "CLOSED".equals(state);
        }
    }

    RestRemoteAccess(String api, String tenant, String token) {
        this.tenantUrl = api + "/api/v1/tenants/" + segment(tenant);
        this.token = token;
    }

    /** Switches remote access on for the whole fleet, for {@code ports}, until {@code until}. */
    Answer fleetOn(List<Integer> ports, Instant until, String reason) throws IOException, InterruptedException {
        return put(tenantUrl + "/remote-access/fleet", "{\"enabled\":true,\"until\":\"" + until + "\",\"ports\":"
                + ports.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]")) + ",\"reason\":"
                + Json.string(reason) + "}");
    }

    /** Switches the fleet off (the open tunnels close with 4409). */
    Answer fleetOff(String reason) throws IOException, InterruptedException {
        return put(tenantUrl + "/remote-access/fleet", "{\"enabled\":false,\"reason\":" + Json.string(reason) + "}");
    }

    /** Removes the fleet's switch. */
    Answer removeFleetSwitch() throws IOException, InterruptedException {
        return send(request(tenantUrl + "/remote-access/fleet").DELETE());
    }

    /** The device's effective policy ({@code 404} while the service has not learnt of the device). */
    Answer effectivePolicy(String device) throws IOException, InterruptedException {
        return send(request(tenantUrl + "/devices/" + segment(device) + "/remote-access").GET());
    }

    /** One tunnel's state, bytes to the device and close code; null if it could not be read. */
    TunnelState tunnel(String id) throws IOException, InterruptedException {
        Answer answer = send(request(tenantUrl + "/tunnels/" + segment(id)).GET());
        if (answer.status() != 200) {
            return null;
        }
        String bytes = first(BYTES_TO_DEVICE, answer.body());
        String code = first(CLOSE_CODE, answer.body());
        return new TunnelState(first(STATE, answer.body()), bytes == null ? null : Long.valueOf(bytes),
                code == null ? null : Integer.valueOf(code));
    }

    /** Closes a tunnel ({@code DELETE}): both sides within a second. */
    Answer closeTunnel(String id) throws IOException, InterruptedException {
        return send(request(tenantUrl + "/tunnels/" + segment(id)).DELETE());
    }

    private Answer put(String url, String json) throws IOException, InterruptedException {
        return send(request(url).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(answer.statusCode(), answer.body());
    }

    private HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json").timeout(Duration.ofSeconds(30));
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.group(1) : null;
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
