package io.outpost.remoteaccess.tunnel;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.outpost.contracts.RemoteAccessEvent;
import io.outpost.contracts.RemoteAccessEventType;
import io.outpost.mailbox.Clock;
import io.outpost.remoteaccess.audit.AuditLog;

/**
 * A side connecting at a relay node: its token used up, the node recorded, and where its other side is. The tunnel's
 * row lock orders two sides connecting at once on two nodes, so exactly one of them finds the other.
 */
@ApplicationScoped
public class TunnelConnections {
    @Inject
    TunnelTokens tokens;
    @Inject
    AuditLog audit;
    @Inject
    TunnelFinish finish;

    /** What a side that presented its token may do. */
    public sealed interface Admission {
        /** The token is not this side's, was used, or expired: 401, no WebSocket. */
        record Refused(String detail) implements Admission {
        }

        /** The tunnel was closed already, or is being closed. */
        record Closed(int code, String reason) implements Admission {
        }

        /** Admitted; the other side is not connected yet ({@code peerNode} null), or at {@code peerNode}. */
        record Admitted(String tenant, String device, int port, String peerNode) implements Admission {
        }
    }

    @Transactional
    public Admission connect(String tunnelId, Side side, String token, String node) {
        if (token == null || !tokens.redeem(tunnelId, side, token, Clock.now())) {
            return new Admission.Refused("the token is not valid for the " + side.value() + " side of this tunnel: "
                    + "unknown, used before, or expired");
        }
        Tunnel tunnel = Tunnel.findById(tunnelId, LockModeType.PESSIMISTIC_WRITE);
        if (tunnel.state == TunnelState.CLOSED || tunnel.closeCode != null) {
            return new Admission.Closed(tunnel.closeCode == null ? CloseCodes.NORMAL : tunnel.closeCode,
                    tunnel.closeReason == null ? "the tunnel is closed" : tunnel.closeReason);
        }
        tunnel.connect(side, node);
        String peerNode = tunnel.nodeOf(side.other());
        if (peerNode != null) {
            tunnel.state = TunnelState.OPEN;
            tunnel.connectedAt = Clock.now();
            audit.record(new RemoteAccessEvent(AuditLog.newId(), tunnel.tenantId,
                    RemoteAccessEventType.TUNNEL_CONNECTED, tunnel.connectedAt, "platform", "device",
                    tunnel.deviceId, null, null, null, tunnel.asEvent()), tunnel.tenantId + "/" + tunnel.deviceId);
        }
        return new Admission.Admitted(tunnel.tenantId, tunnel.deviceId, tunnel.port, peerNode);
    }

    /** Tunnels left open by this node's previous life: their sockets are gone, so they are closed. */
    @Transactional
    public int closeOrphans(String node) {
        List<Tunnel> orphans = Tunnel.<Tunnel>find("state <> ?1 and (operatorNode = ?2 or deviceNode = ?2)",
                TunnelState.CLOSED, node).withLock(LockModeType.PESSIMISTIC_WRITE).list();
        orphans.forEach(tunnel -> finish.closeLocked(tunnel, CloseCodes.RELAY_NODE_LOST,
                "the relay node " + node + " restarted", tunnel.bytesToDevice, tunnel.bytesFromDevice));
        return orphans.size();
    }
}
