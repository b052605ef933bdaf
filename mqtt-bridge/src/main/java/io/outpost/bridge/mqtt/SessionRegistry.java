package io.outpost.bridge.mqtt;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The live device sessions of this node: at most one current session per device, and the sessions of each tenant, so
 * a message for a group or a whole fleet costs the tenant's sessions here, not the node's. A replaced session leaves
 * the tenant's sessions when it is replaced, or at the latest when it ends.
 */
@ApplicationScoped
public class SessionRegistry {
    private final Map<String, DeviceSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, Set<DeviceSession>> byTenant = new ConcurrentHashMap<>();

    /** Makes the session the device's current one; returns the one it replaces, which the caller must end. */
    Optional<DeviceSession> register(DeviceSession session) {
        DeviceSession previous = sessions.put(session.key(), session);
        byTenant.compute(session.tenant(), (tenant, current) -> {
            Set<DeviceSession> tenantSessions = current == null ? ConcurrentHashMap.newKeySet() : current;
            tenantSessions.add(session);
            if (previous != null) {
                tenantSessions.remove(previous);
            }
            return tenantSessions;
        });
        return Optional.ofNullable(previous);
    }

    /** Forgets the session, unless a newer one of the same device has replaced it already. */
    void remove(DeviceSession session) {
        sessions.remove(session.key(), session);
        byTenant.computeIfPresent(session.tenant(), (tenant, current) -> {
            current.remove(session);
            return current.isEmpty() ? null : current;
        });
    }

    Optional<DeviceSession> current(String key) {
        return Optional.ofNullable(sessions.get(key));
    }

    /** The tenant's sessions on this node; a live view, safe to iterate while sessions come and go. */
    Collection<DeviceSession> ofTenant(String tenant) {
        Set<DeviceSession> tenantSessions = byTenant.get(tenant);
        return tenantSessions == null ? List.of() : tenantSessions;
    }

    Collection<DeviceSession> all() {
        return sessions.values();
    }

    public int size() {
        return sessions.size();
    }
}
