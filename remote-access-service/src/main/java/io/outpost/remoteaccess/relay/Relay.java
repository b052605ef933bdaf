package io.outpost.remoteaccess.relay;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.remoteaccess.config.RemoteAccessConfig;
import io.outpost.remoteaccess.tunnel.CloseCodes;
import io.outpost.remoteaccess.tunnel.Side;
import io.outpost.remoteaccess.tunnel.TunnelConnections.Admission;
import io.outpost.remoteaccess.tunnel.TunnelFinish;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;

/**
 * The relay on this node: takes an admitted side's WebSocket, splices it with its other side (here, or at the node
 * that holds it), and when a side closes records why and closes the rest.
 */
@ApplicationScoped
public class Relay {
    private static final Logger LOG = Logger.getLogger(Relay.class);
    /** How long a side admitted on another node may take to show up here. */
    private static final Duration PEER_WAIT = Duration.ofSeconds(5);

    @Inject
    Vertx vertx;
    @Inject
    LocalSides sides;
    @Inject
    NodeLinks links;
    @Inject
    TunnelFinish finish;
    @Inject
    RemoteAccessConfig config;
    @Inject
    MeterRegistry metrics;

    void registerGauge(@Observes StartupEvent start) {
        metrics.gauge("outpost_remote_access_connected_sides", sides, LocalSides::size);
    }

    void attach(ServerWebSocket socket, String tunnelId, Side side, Admission.Admitted admitted) {
        socket.pause();
        LocalSide local = new LocalSide(tunnelId, side, admitted.tenant(), admitted.device(), admitted.port(), socket);
        socket.closeHandler(closed -> closed(local));
        socket.exceptionHandler(failure -> local.close(CloseCodes.RELAY_NODE_LOST, "relay error"));
        socket.textMessageHandler(text -> local.close(CloseCodes.TEXT_NOT_ACCEPTED,
                "text frames are not used; send the stream in binary frames"));
        sides.add(local);
        String peerNode = admitted.peerNode();
        if (peerNode == null) {
            return;
        }
        if (peerNode.equals(config.nodeUrl())) {
            sides.await(tunnelId, side.other(), PEER_WAIT)
                    .onSuccess(peer -> Splice.local(local, peer))
                    .onFailure(failure -> local.close(CloseCodes.RELAY_NODE_LOST, failure.getMessage()));
        } else {
            links.open(peerNode, tunnelId, side.other())
                    .onSuccess(link -> Splice.remote(local, link))
                    .onFailure(failure -> local.close(CloseCodes.RELAY_NODE_LOST,
                            "the relay node holding the other side is unreachable"));
        }
    }

    /** Another node's link to a side held here: spliced with it as soon as it is connected here. */
    void link(ServerWebSocket link, LocalSide local) {
        Splice.remote(local, link);
    }

    private void closed(LocalSide local) {
        sides.remove(local);
        int code = local.closedCode();
        String reason = describe(local, code);
        local.closePeer(Reasons.sendable(code), reason);
        metrics.counter("outpost_remote_access_sides_closed_total", "side", local.side.value(), "code",
                Integer.toString(code)).increment();
        if (local.side == Side.DEVICE) {
            metrics.counter("outpost_remote_access_bytes_total", "direction", "to_device")
                    .increment(local.written.get());
            metrics.counter("outpost_remote_access_bytes_total", "direction", "from_device")
                    .increment(local.read.get());
        }
        vertx.executeBlocking(() -> {
            if (!local.closedByThisNode()) {
                finish.requestClose(local.tunnelId, code, reason);
            }
            if (local.side == Side.DEVICE) {
                finish.close(local.tunnelId, code, reason, local.written.get(), local.read.get());
            } else if (!local.spliced()) {
                finish.closeIfDeviceNeverConnected(local.tunnelId, code, reason);
            }
            return null;
        }, false).onFailure(failure -> LOG.warnf("could not record the end of tunnel %s: %s", local.tunnelId,
                failure.toString()));
    }

    /** Why the side closed, in words for the audit. */
    private static String describe(LocalSide local, int code) {
        if (local.closedByThisNode()) {
            return local.closedReason();
        }
        String said = local.closedReason() == null || local.closedReason().isBlank() ? ""
                : ": " + local.closedReason();
        return switch (code) {
            case CloseCodes.REFUSED_BY_DEVICE -> "refused by the device" + said;
            case CloseCodes.PORT_UNREACHABLE -> "the device could not reach port " + local.port + said;
            case 1006 -> "the " + local.side.value() + "'s connection was lost";
            default -> "the " + local.side.value() + " closed its side" + said;
        };
    }
}
