package io.outpost.remoteaccess.relay;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.outpost.remoteaccess.config.RemoteAccessConfig;
import io.outpost.remoteaccess.tunnel.Side;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/** WebSockets from this relay node to another, for a tunnel whose two sides landed on different nodes. */
@ApplicationScoped
public class NodeLinks {
    static final String INTERNAL_PATH = "/relay/internal/v1/tunnels/";
    static final String SECRET_HEADER = "X-Outpost-Relay-Secret";
    /** As quarkus.http.websocket-server.max-frame-size: what one node accepts, the link to it carries. */
    private static final int MAX_FRAME = 1048576;

    @Inject
    Vertx vertx;
    @Inject
    RemoteAccessConfig config;

    private volatile WebSocketClient client;

    /** A link to the {@code side} of the tunnel held by {@code node} (that node's {@code node-url}). */
    Future<WebSocket> open(String node, String tunnelId, Side side) {
        URI uri = URI.create(node);
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(uri.getHost())
                .setPort(uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80)
                .setSsl("https".equals(uri.getScheme()))
                .setURI(INTERNAL_PATH + tunnelId + "/" + side.value())
                .addHeader(SECRET_HEADER, config.clusterSecret());
        return client().connect(options);
    }

    private WebSocketClient client() {
        if (client == null) {
            synchronized (this) {
                if (client == null) {
                    client = vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(5000)
                            .setMaxFrameSize(MAX_FRAME).setMaxMessageSize(MAX_FRAME));
                }
            }
        }
        return client;
    }
}
