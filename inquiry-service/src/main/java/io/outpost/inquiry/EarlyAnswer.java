package io.outpost.inquiry;

import java.time.Duration;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.outpost.contracts.InquiryAnswerType;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A Kafka handler's answer that came before its inquiry was stored (V3__inquiry_early_answers.sql). */
@Entity
@Table(name = "inquiry_early_answer")
public class EarlyAnswer extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;
    @Column(name = "tenant_id")
    public String tenantId;
    @Column(name = "device_id")
    public String deviceId;
    @Column(name = "request_id")
    public String requestId;
    @Enumerated(EnumType.STRING)
    @Column(name = "answer_type")
    public InquiryAnswerType answerType;
    @Column(name = "content_type")
    public String contentType;
    public byte[] payload;
    @Column(name = "ttl_ms")
    public Long ttlMillis;
    @Column(name = "latest_only")
    public Boolean latestOnly;
    @Column(name = "received_at")
    public Instant receivedAt;

    public Duration ttl() {
        return ttlMillis == null ? null : Duration.ofMillis(ttlMillis);
    }
}
