package io.outpost.registry;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Whether a device is connected, as the bridge's session events tell; absent until its first session. */
@Entity
@Table(name = "connection_status")
public class ConnectionStatus extends PanacheEntityBase {
    @Id
    @Column(name = "device_pk")
    public Long devicePk;
    public boolean online;
    /** When the current state began. */
    public Instant since;
    @Column(name = "last_seen")
    public Instant lastSeen;
    public String node;
    @Column(name = "session_id")
    public String sessionId;
    @Column(name = "protocol_version")
    public String protocolVersion;
    @Column(name = "remote_address")
    public String remoteAddress;
}
