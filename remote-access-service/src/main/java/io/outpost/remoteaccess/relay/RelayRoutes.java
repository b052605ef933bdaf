package io.outpost.remoteaccess.relay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.remoteaccess.config.RemoteAccessConfig;
import io.outpost.remoteaccess.tunnel.Side;
import io.outpost.remoteaccess.tunnel.TunnelConnections;
import io.outpost.remoteaccess.tunnel.TunnelConnections.Admission;
import io.outpost.rest.Problem;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The relay's WebSocket endpoints (docs/remote-access.md): {@code /relay/v1/tunnels/{id}/{side}} for operators and
 * devices, with a single-use token; {@code /relay/internal/v1/tunnels/{id}/{side}} for the other relay nodes, with the
 * cluster secret. A refusal is an HTTP problem+json before any upgrade.
 */
@ApplicationScoped
public class RelayRoutes {
    private static final Duration LINK_WAIT = Duration.ofSeconds(5);

    @Inject
    Vertx vertx;
    @Inject
    TunnelConnections connections;
    @Inject
    Relay relay;
    @Inject
    LocalSides sides;
    @Inject
    RemoteAccessConfig config;
    @Inject
    NodeAddress nodeAddress;
    @Inject
    ObjectMapper json;

    void routes(@Observes Router router) {
        router.get("/relay/v1/tunnels/:id/:side").handler(this::side);
        router.get(NodeLinks.INTERNAL_PATH + ":id/:side").handler(this::link);
    }

    private void side(RoutingContext context) {
        String tunnelId = context.pathParam("id");
        Optional<Side> side = Side.of(context.pathParam("side"));
        if (side.isEmpty()) {
            problem(context, 404, "Not found", "a tunnel's sides are operator and device");
            return;
        }
        String token = bearer(context.request());
        context.request().pause();
        vertx.executeBlocking(() -> connections.connect(tunnelId, side.get(), token, nodeAddress.url()), false)
                .onFailure(failure -> problem(context, 503, "Service unavailable",
                        "the relay cannot reach its database; try again in a few seconds"))
                .onSuccess(admission -> admit(context, tunnelId, side.get(), admission));
    }

    private void admit(RoutingContext context, String tunnelId, Side side, Admission admission) {
        if (admission instanceof Admission.Admitted admitted) {
            context.request().toWebSocket().onSuccess(socket -> relay.attach(socket, tunnelId, side, admitted))
                    .onFailure(failure -> relay.upgradeFailed(tunnelId, side, failure));
        } else if (admission instanceof Admission.Closed closed) {
            context.request().toWebSocket()
                    .onSuccess(socket -> socket.close((short) closed.code(), Reasons.fit(closed.reason())));
        } else {
            context.response().putHeader("WWW-Authenticate", "Bearer realm=\"outpost-relay\"");
            problem(context, 401, "Unauthorized", ((Admission.Refused) admission).detail());
        }
    }

    private void link(RoutingContext context) {
        String secret = context.request().getHeader(NodeLinks.SECRET_HEADER);
        if (secret == null || !MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                config.clusterSecret().getBytes(StandardCharsets.UTF_8))) {
            problem(context, 403, "Forbidden", "only relay nodes may link tunnels");
            return;
        }
        Optional<Side> side = Side.of(context.pathParam("side"));
        if (side.isEmpty()) {
            problem(context, 404, "Not found", "a tunnel's sides are operator and device");
            return;
        }
        context.request().pause();
        sides.await(context.pathParam("id"), side.get(), LINK_WAIT)
                .onFailure(failure -> problem(context, 404, "Not found", failure.getMessage()))
                .onSuccess(local -> {
                    if (local.spliced()) {
                        problem(context, 409, "Conflict", "that side is spliced already");
                    } else {
                        context.request().toWebSocket().onSuccess(link -> relay.link(link, local));
                    }
                });
    }

    private static String bearer(HttpServerRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }

    private void problem(RoutingContext context, int status, String title, String detail) {
        try {
            context.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(json.writeValueAsString(new Problem("about:blank", title, status, detail,
                            context.request().path(), List.of())));
        } catch (JsonProcessingException e) {
            context.fail(e);
        }
    }
}
