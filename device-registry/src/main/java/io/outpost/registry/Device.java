package io.outpost.registry;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Version;

/** A device of a tenant, as the registry knows it. */
@Entity
public class Device extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long pk;
    @Column(name = "tenant_id")
    public String tenantId;
    @Column(name = "device_id")
    public String deviceId;
    public boolean enabled;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> labels = new HashMap<>();
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> attributes = new HashMap<>();
    @ManyToMany
    @JoinTable(name = "group_member", joinColumns = @JoinColumn(name = "device_pk"),
            inverseJoinColumns = @JoinColumn(name = "group_pk"))
    @OrderBy("groupId")
    public Set<DeviceGroup> groups = new LinkedHashSet<>();
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Version
    public long version;

    public static Optional<Device> find(String tenantId, String deviceId) {
        return find("tenantId = ?1 and deviceId = ?2", tenantId, deviceId).firstResultOptional();
    }
}
