package io.outpost.inquiry;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** Who answers a tenant's inquiries of one name (V2__inquiries.sql). */
@Entity
@Table(name = "inquiry_handler")
@IdClass(InquiryHandler.Key.class)
public class InquiryHandler extends PanacheEntityBase {
    @Id
    @Column(name = "tenant_id")
    public String tenantId;
    @Id
    public String name;
    @Enumerated(EnumType.STRING)
    public HandlerKind kind;
    public String url;
    /** The HMAC-SHA256 key of webhook calls, as {@code SecretBox} stores it; never shown after the PUT that set it, never logged. */
    public String secret;
    @Column(name = "timeout_ms")
    public long timeoutMillis;
    @Column(name = "default_lifetime_ms")
    public long defaultLifetimeMillis;
    @Column(name = "answer_ttl_ms")
    public long answerTtlMillis;
    @Column(name = "latest_only")
    public boolean latestOnly;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "updated_by")
    public String updatedBy;

    public Duration timeout() {
        return Duration.ofMillis(timeoutMillis);
    }

    public Duration defaultLifetime() {
        return Duration.ofMillis(defaultLifetimeMillis);
    }

    public Duration answerTtl() {
        return Duration.ofMillis(answerTtlMillis);
    }

    public static InquiryHandler find(String tenant, String name) {
        return findById(new Key(tenant, name));
    }

    /** The composite primary key. */
    public static class Key implements Serializable {
        public String tenantId;
        public String name;

        public Key() {
        }

        public Key(String tenantId, String name) {
            this.tenantId = tenantId;
            this.name = name;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && tenantId.equals(key.tenantId) && name.equals(key.name);
        }

        @Override
        public int hashCode() {
            return tenantId.hashCode() * 31 + name.hashCode();
        }
    }
}
