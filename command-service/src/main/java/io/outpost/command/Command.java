package io.outpost.command;

import java.time.Duration;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.outpost.contracts.CommandState;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A command for one device and where it stands. Its payload, MQTT topic and delivery live in the mailbox message with
 * the same id; this row holds what only commands have: the name, the state machine, the reply deadline and the
 * device's result.
 */
@Entity
@Table(name = "command")
public class Command extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "tenant_id")
    public String tenantId;
    @Column(name = "device_id")
    public String deviceId;
    public String name;
    @Enumerated(EnumType.STRING)
    public CommandState state;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "expires_at")
    public Instant expiresAt;
    @Column(name = "reply_timeout_ms")
    public long replyTimeoutMillis;
    @Column(name = "delivered_at")
    public Instant deliveredAt;
    @Column(name = "reply_deadline")
    public Instant replyDeadline;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(name = "result_status")
    public String resultStatus;
    @Column(name = "result_content_type")
    public String resultContentType;
    @Column(name = "result_payload")
    public byte[] resultPayload;
    @Column(name = "result_at")
    public Instant resultAt;
    @Column(name = "idempotency_key")
    public String idempotencyKey;
    @Column(name = "request_hash")
    public String requestHash;
    /** Transitions so far, the first (to PENDING) included. */
    public int transitions;

    public Duration replyTimeout() {
        return Duration.ofMillis(replyTimeoutMillis);
    }

    public String key() {
        return tenantId + "/" + deviceId;
    }
}
