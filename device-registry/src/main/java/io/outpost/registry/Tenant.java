package io.outpost.registry;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

/** A product team or vendor: owns devices, groups and their credentials. */
@Entity
public class Tenant extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "display_name")
    public String displayName;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Version
    public long version;
}
