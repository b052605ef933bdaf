package io.outpost.remoteaccess.tunnel;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.outpost.contracts.RemoteAccessEvent;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One TCP stream from an operator to a port of a device, through the relay (table {@code tunnel}). */
@Entity
@Table(name = "tunnel")
public class Tunnel extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "tenant_id")
    public String tenantId;
    @Column(name = "device_id")
    public String deviceId;
    @Column(name = "device_incarnation")
    public Instant deviceIncarnation;
    public int port;
    @Column(name = "opened_by")
    public String openedBy;
    @Column(name = "requested_at")
    public Instant requestedAt;
    /** When it closes at the latest: its maximum duration from the request. */
    @Column(name = "closes_by")
    public Instant closesBy;
    @Enumerated(EnumType.STRING)
    public TunnelState state;
    @Column(name = "operator_node")
    public String operatorNode;
    @Column(name = "device_node")
    public String deviceNode;
    @Column(name = "connected_at")
    public Instant connectedAt;
    @Column(name = "close_code")
    public Integer closeCode;
    @Column(name = "close_reason")
    public String closeReason;
    @Column(name = "closed_at")
    public Instant closedAt;
    @Column(name = "bytes_to_device")
    public long bytesToDevice;
    @Column(name = "bytes_from_device")
    public long bytesFromDevice;

    public String nodeOf(Side side) {
        return side == Side.OPERATOR ? operatorNode : deviceNode;
    }

    public void connect(Side side, String node) {
        if (side == Side.OPERATOR) {
            operatorNode = node;
        } else {
            deviceNode = node;
        }
    }

    public RemoteAccessEvent.Tunnel asEvent() {
        return new RemoteAccessEvent.Tunnel(id, deviceId, port, openedBy, requestedAt, closesBy, connectedAt,
                closedAt, closeCode, bytesToDevice, bytesFromDevice);
    }

    public static List<Tunnel> ofDevice(String tenant, String device, int limit) {
        return find("tenantId = ?1 and deviceId = ?2 order by requestedAt desc", tenant, device).page(0, limit).list();
    }
}
