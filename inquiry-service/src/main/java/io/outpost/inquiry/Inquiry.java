package io.outpost.inquiry;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One inquiry a device opened (V2__inquiries.sql). */
@Entity
@Table(name = "inquiry")
public class Inquiry extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "tenant_id")
    public String tenantId;
    @Column(name = "device_id")
    public String deviceId;
    public String name;
    @Column(name = "request_id")
    public String requestId;
    public boolean continuing;
    @Column(name = "content_type")
    public String contentType;
    public byte[] payload;
    @Enumerated(EnumType.STRING)
    public InquiryState state;
    @Column(name = "state_at")
    public Instant stateAt;
    @Column(name = "state_reason")
    public String stateReason;
    @Column(name = "opened_at")
    public Instant openedAt;
    @Column(name = "expires_at")
    public Instant expiresAt;
    @Enumerated(EnumType.STRING)
    @Column(name = "handler_kind")
    public HandlerKind handlerKind;
    public long answers;
    @Column(name = "last_answer_at")
    public Instant lastAnswerAt;
    @Column(name = "dispatch_due_at")
    public Instant dispatchDueAt;
}
