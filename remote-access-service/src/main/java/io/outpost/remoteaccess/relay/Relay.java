package io.outpost.remoteaccess.relay;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
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
    NodeAddress nodeAddress;
    @Inject
    MeterRegistry metrics;

    void registerGauge(@Observes StartupEvent start) {
        metrics.gauge("outpost_remote_access_connected_sides", sides, LocalSides::size);
    }

    void attach(ServerWebSocket socket, String tunnelId, Side side, Admission.Admitted admitted) {
        socket.pause();
        LocalSide local = new LocalSide(tunnelId, side, admitted.tenant(), admitted.device(), admitted.port(), socket);
        // A client's clean close ends the stream after the frames it sent before it (endHandler, in order); Vert.x
        // calls closeHandler as the close frame arrives, before frames still queued behind back-pressure.
        socket.endHandler(end -> closed(local));
        socket.closeHandler(close -> {
            if (!local.spliced() || local.closedByThisNode() || socket.closeStatusCode() == null) {
                closed(local);
            }
        });
        socket.exceptionHandler(failure -> LOG.debugf("tunnel %s, %s side: %s", tunnelId, side.value(), failure));
        socket.textMessageHandler(text -> local.close(CloseCodes.TEXT_NOT_ACCEPTED,
                "text frames are not used; send the stream in binary frames"));
        sides.add(local);
        String peerNode = admitted.peerNode();
        if (peerNode == null) {
            return;
        }
        if (peerNode.equals(nodeAddress.url())) {
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

    /** An admitted side whose WebSocket upgrade failed: its end is recorded as if it had connected and left. */
    void upgradeFailed(String tunnelId, Side side, Throwable failure) {
        record(tunnelId, side, false, 1006, "the " + side.value() + "'s WebSocket upgrade failed: " + failure, 0, 0);
    }

    /** Another node's link to a side held here: spliced with it as soon as it is connected here. */
    void link(ServerWebSocket link, LocalSide local) {
        Splice.remote(local, link);
    }

    private void closed(LocalSide local) {
        if (!local.end()) {
            return;
        }
        sides.remove(local);
        int code = local.closedByThisNode() ? local.closedCode() : acceptedFromClient(local);
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
        record(local.tunnelId, local.side, local.spliced(), code, reason, local.written.get(), local.read.get());
    }

    /**
     * Records why a side ended (the first reason recorded wins), and the tunnel CLOSED if this node holds its device's
     * side (which saw both directions) or its device's side never connected.
     */
    private void record(String tunnelId, Side side, boolean spliced, int code, String reason, long written,
            long read) {
        vertx.executeBlocking(() -> {
            finish.requestClose(tunnelId, code, reason);
            if (side == Side.DEVICE) {
                finish.close(tunnelId, code, reason, written, read);
            } else if (!spliced) {
                finish.closeIfDeviceNeverConnected(tunnelId, code, reason);
            }
            return null;
        }, false).onFailure(failure -> LOG.warnf("could not record the end of tunnel %s: %s", tunnelId,
                failure.toString()));
    }

    /**
     * The code a client closed with, if it may say it: a device refuses (4403) or cannot reach its port (4502), either
     * side ends normally (1000); a lost connection is 1006. Any other code (a client claiming "closed by the policy")
     * counts as a normal end, so the audit only shows codes the relay or the protocol gave.
     */
    private static int acceptedFromClient(LocalSide local) {
        int code = local.closedCode();
        boolean deviceMay = local.side == Side.DEVICE
                && (code == CloseCodes.REFUSED_BY_DEVICE || code == CloseCodes.PORT_UNREACHABLE);
        return code == CloseCodes.NORMAL || code == 1006 || deviceMay ? code : CloseCodes.NORMAL;
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
