package io.outpost.registry;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A record waiting to be relayed to one of the registry's compacted topics ({@code outpost.registry.devices.v1} or
 * {@code outpost.registry.groups.v1}); a null payload is a tombstone.
 */
@Entity
@Table(name = "registry_outbox")
public class OutboxEntry extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;
    public String topic;
    @Column(name = "record_key")
    public String recordKey;
    /** The {@code RegistryDevice} or {@code RegistryGroup} JSON, or null for a tombstone. */
    public String payload;
    @Column(name = "created_at")
    public Instant createdAt;
}
