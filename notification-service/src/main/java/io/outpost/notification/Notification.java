package io.outpost.notification;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.outpost.contracts.Audience;
import io.outpost.contracts.Identifiers;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One notification, whatever its audience (V2__notifications.sql). */
@Entity
@Table(name = "notification")
public class Notification extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "tenant_id")
    public String tenantId;
    @Enumerated(EnumType.STRING)
    public Audience audience;
    /** The device or group id; null for a fleet notification. */
    public String target;
    public String topic;
    @Column(name = "content_type")
    public String contentType;
    public byte[] payload;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "expires_at")
    public Instant expiresAt;
    @Enumerated(EnumType.STRING)
    public NotificationState state;
    @Column(name = "state_at")
    public Instant stateAt;
    @Column(name = "state_reason")
    public String stateReason;
    @Column(name = "created_by")
    public String createdBy;
    public long addressed;
    public long delivered;
    public long expired;
    /** Members that can never take it: larger than the Maximum Packet Size they announced. */
    public long undeliverable;
    @Column(name = "idempotency_key")
    public String idempotencyKey;
    @Column(name = "request_hash")
    public String requestHash;

    /** Whether members may still get it: not revoked, not expired by state or by the clock. */
    public boolean live(Instant now) {
        return (state == NotificationState.ACTIVE || state == NotificationState.FINISHED) && now.isBefore(expiresAt);
    }

    /** The record key of its outbound record and events: {@code {tenant}/{device}}, {@code {tenant}/group:{g}}, ... */
    public String recordKey() {
        return tenantId + Identifiers.KEY_SEPARATOR + switch (audience) {
            case DEVICE -> target;
            case GROUP -> "group:" + target;
            case FLEET -> "fleet";
        };
    }
}
