package io.outpost.registry;

import java.time.Instant;
import java.util.Optional;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A named set of devices of one tenant, addressed by notifications and policies. */
@Entity(name = "DeviceGroup")
@Table(name = "device_group")
public class DeviceGroup extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long pk;
    @Column(name = "tenant_id")
    public String tenantId;
    @Column(name = "group_id")
    public String groupId;
    @Column(name = "display_name")
    public String displayName;
    public String description;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Version
    public long version;

    public static Optional<DeviceGroup> find(String tenantId, String groupId) {
        return find("tenantId = ?1 and groupId = ?2", tenantId, groupId).firstResultOptional();
    }
}
