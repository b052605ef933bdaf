package io.outpost.registry;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** One device secret, stored only as a salted hash. Revoked credentials are kept for the audit trail. */
@Entity
public class Credential extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "device_pk")
    public long devicePk;
    public String algorithm;
    public byte[] salt;
    public byte[] hash;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "not_after")
    public Instant notAfter;
    @Column(name = "revoked_at")
    public Instant revokedAt;

    public static List<Credential> active(long devicePk) {
        return list("devicePk = ?1 and revokedAt is null order by createdAt", devicePk);
    }
}
