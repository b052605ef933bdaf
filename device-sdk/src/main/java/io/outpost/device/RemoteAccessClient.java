package io.outpost.device;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The operator's side of remote access (docs/remote-access.md): asks remote-access-service for a tunnel to one port of
 * one device, with the operator's OIDC access token, and pipes a TCP connection through the relay WebSocket the answer
 * names, with the one-time operator token it holds. Tokens are never logged, nor part of any {@code toString}.
 */
public final class RemoteAccessClient {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI api;
    private final String accessToken;
    private final HttpClient http;

    /**
     * @param api         remote-access-service's base URL, e.g. {@code http://127.0.0.1:8087}
     * @param accessToken the operator's OIDC access token
     * @param http        the client for the REST call and the relay's WebSocket (its TLS context decides whom it
     *                    trusts)
     */
    public RemoteAccessClient(URI api, String accessToken, HttpClient http) {
        String base = api.toString();
        this.api = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
        this.http = http;
    }

    /** With an HTTP client that trusts the JVM's default CAs. */
    public RemoteAccessClient(URI api, String accessToken) {
        this(api, accessToken, (Path) null);
    }

    /**
     * With an HTTP client that trusts the CA certificates in a PEM file (e.g. {@code .outpost/tls/ca.crt}) for an
     * {@code https://} service and a {@code wss://} relay; null for the JVM's default CAs.
     */
    public RemoteAccessClient(URI api, String accessToken, Path caCertificates) {
        this(api, accessToken, httpClient(caCertificates));
    }

    private static HttpClient httpClient(Path caCertificates) {
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (caCertificates != null) {
            http.sslContext(TrustedCertificates.sslContext(TrustedCertificates.fromPem(caCertificates)));
        }
        return http.build();
    }

    /**
     * Opens a tunnel: {@code POST {api}/api/v1/tenants/{tenant}/devices/{device}/tunnels} with
     * {@code {"port": port, "maxDuration": ...}}. The platform then tells the device; the answer's operator token
     * must be used within 30 s ({@link #connect(Tunnel, Socket)}).
     *
     * @param maxDuration at most 8 h; null for the service's default (1 h)
     * @throws TunnelRefusedException if the service answers anything but 201 (403: the device's policy is off or
     *                                does not allow the port; 404: no such device)
     */
    public Tunnel openTunnel(String tenant, String device, int port, Duration maxDuration)
            throws IOException, InterruptedException {
        String body = "{\"port\":" + port
                + (maxDuration == null ? "" : ",\"maxDuration\":" + Json.quote(maxDuration.toString())) + "}";
        HttpRequest request = HttpRequest.newBuilder(tunnels(tenant, device))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + accessToken)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw TunnelRefusedException.fromAnswer(response.statusCode(), response.body());
        }
        return Tunnel.fromAnswer(response.body());
    }

    /**
     * Opens the tunnel's operator WebSocket and pipes {@code socket} through it; fails (and closes the socket) if the
     * relay refuses the token ({@link RelayHandshakeException}, 401) or cannot be reached.
     */
    public CompletableFuture<TunnelPipe> connect(Tunnel tunnel, Socket socket) {
        return TunnelPipe.open(http, tunnel.operatorUrl(), tunnel.operatorToken(), socket, tunnel.id());
    }

    private URI tunnels(String tenant, String device) {
        return URI.create(api + "/api/v1/tenants/" + segment(tenant) + "/devices/" + segment(device) + "/tunnels");
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * An opened tunnel, from the service's 201 answer: its id, the relay WebSocket for the operator's side and the
     * one-time token for it (valid 30 s), and when the tunnel closes at the latest ({@code closesBy}, as sent, null if
     * absent).
     */
    public record Tunnel(String id, URI operatorUrl, String operatorToken, String closesBy) {
        static Tunnel fromAnswer(String json) {
            String id = Json.stringField(json, "id");
            String url = Json.stringField(json, "operatorUrl");
            String token = Json.stringField(json, "operatorToken");
            if (id == null || url == null || token == null) {
                throw new DeviceException("the answer lacks id, operatorUrl or operatorToken");
            }
            return new Tunnel(id, URI.create(url), token, Json.stringField(json, "closesBy"));
        }

        /** The same tunnel reached through another relay address: {@code relay}'s scheme, host and port. */
        public Tunnel via(URI relay) {
            return new Tunnel(id, URI.create(relay.getScheme() + "://" + relay.getRawAuthority()
                    + operatorUrl.getRawPath()), operatorToken, closesBy);
        }

        @Override
        public String toString() {
            return "Tunnel[id=" + id + ", operatorUrl=" + operatorUrl + ", closesBy=" + closesBy + "]";
        }
    }
}
