package io.outpost.remoteaccess.policy;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.outpost.contracts.RemoteAccessEvent;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A remote-access switch as an admin set it (table {@code remote_access_switch}). */
@Entity
@Table(name = "remote_access_switch")
public class AccessSwitch extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "tenant_id")
    public String tenantId;
    @Convert(converter = ScopeColumn.class)
    public Scope scope;
    /** The group's or device's id; null for the fleet. */
    public String target;
    public boolean enabled;
    public Instant until;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<Integer> ports;
    public String reason;
    @Column(name = "set_by")
    public String setBy;
    @Column(name = "set_at")
    public Instant setAt;

    /** On now: enabled and its end time not passed. */
    public boolean onAt(Instant now) {
        return enabled && until != null && until.isAfter(now);
    }

    public RemoteAccessEvent.Switch asEvent() {
        return new RemoteAccessEvent.Switch(enabled, until, List.copyOf(ports), reason);
    }

    public static List<AccessSwitch> ofTenant(String tenant) {
        return list("tenantId", tenant);
    }
}
