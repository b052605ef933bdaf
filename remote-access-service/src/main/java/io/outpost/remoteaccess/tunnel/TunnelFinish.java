package io.outpost.remoteaccess.tunnel;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.outpost.contracts.RemoteAccessEvent;
import io.outpost.contracts.RemoteAccessEventType;
import io.outpost.mailbox.Clock;
import io.outpost.remoteaccess.audit.AuditLog;

/**
 * Ending tunnels: asking the relay nodes to close one (a close code and reason, the first asked wins), and recording
 * one as CLOSED, once, with its bytes, audited.
 */
@ApplicationScoped
public class TunnelFinish {
    @Inject
    EntityManager entityManager;
    @Inject
    AuditLog audit;

    /** Sets the tunnel's close code and reason unless one was set before; the nodes close their sides with it. */
    @Transactional
    public void requestClose(String tunnelId, int code, String reason) {
        entityManager.createNativeQuery("update tunnel set close_code = ?1, close_reason = ?2"
                + " where id = ?3 and close_code is null and state <> 'CLOSED'")
                .setParameter(1, code).setParameter(2, reason).setParameter(3, tunnelId).executeUpdate();
    }

    /**
     * Records the tunnel CLOSED with the bytes counted by the node that held its device's side; the code and reason
     * asked for first win over these. Nothing if it is closed already.
     */
    @Transactional
    public void close(String tunnelId, int code, String reason, long bytesToDevice, long bytesFromDevice) {
        Tunnel tunnel = Tunnel.findById(tunnelId, LockModeType.PESSIMISTIC_WRITE);
        if (tunnel != null) {
            closeLocked(tunnel, code, reason, bytesToDevice, bytesFromDevice);
        }
    }

    /** Records it CLOSED if its device's side never connected (so no node will); an operator's side ended first. */
    @Transactional
    public void closeIfDeviceNeverConnected(String tunnelId, int code, String reason) {
        Tunnel tunnel = Tunnel.findById(tunnelId, LockModeType.PESSIMISTIC_WRITE);
        if (tunnel != null && tunnel.deviceNode == null) {
            closeLocked(tunnel, code, reason, 0, 0);
        }
    }

    /** Tunnels asked for before {@code requestedBefore} that neither side connected to: closed, 4404. */
    @Transactional
    public void closeUnclaimed(Instant requestedBefore) {
        Tunnel.<Tunnel>find("state = ?1 and requestedAt < ?2 and operatorNode is null and deviceNode is null",
                TunnelState.OPENING, requestedBefore).withLock(LockModeType.PESSIMISTIC_WRITE).list()
                .forEach(tunnel -> closeLocked(tunnel, CloseCodes.DEVICE_DID_NOT_CONNECT,
                        "neither side connected in time", 0, 0));
    }

    /** Tunnels past their end by the time given that no node closed: closed, 4411. Nodes skip each other's rows. */
    @Transactional
    public void closeOverdue(Instant endedBefore) {
        @SuppressWarnings("unchecked")
        List<String> ids = entityManager.createNativeQuery("select id from tunnel where state <> 'CLOSED'"
                + " and closes_by < ?1 order by closes_by limit 100 for update skip locked")
                .setParameter(1, endedBefore).getResultList();
        ids.forEach(id -> closeLocked(Tunnel.findById(id), CloseCodes.MAX_DURATION,
                "the tunnel's maximum duration passed and no relay node held it any more", 0, 0));
    }

    /** The same on a tunnel the caller's transaction holds locked. */
    void closeLocked(Tunnel tunnel, int code, String reason, long bytesToDevice, long bytesFromDevice) {
        if (tunnel.state == TunnelState.CLOSED) {
            return;
        }
        Instant now = Clock.now();
        if (tunnel.closeCode == null) {
            tunnel.closeCode = code;
            tunnel.closeReason = reason;
        }
        tunnel.state = TunnelState.CLOSED;
        tunnel.closedAt = now;
        tunnel.bytesToDevice = bytesToDevice;
        tunnel.bytesFromDevice = bytesFromDevice;
        audit.record(new RemoteAccessEvent(AuditLog.newId(), tunnel.tenantId, RemoteAccessEventType.TUNNEL_CLOSED,
                now, "platform", "device", tunnel.deviceId, null, null, tunnel.closeReason, tunnel.asEvent()),
                tunnel.tenantId + "/" + tunnel.deviceId);
    }
}
