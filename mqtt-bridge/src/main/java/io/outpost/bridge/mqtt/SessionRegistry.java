package io.outpost.bridge.mqtt;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/** The live device sessions of this node: at most one per device. */
@ApplicationScoped
public class SessionRegistry {
    private final Map<String, DeviceSession> sessions = new ConcurrentHashMap<>();

    /** Makes the session the device's current one; returns the one it replaces, which the caller must end. */
    Optional<DeviceSession> register(DeviceSession session) {
        return Optional.ofNullable(sessions.put(session.key(), session));
    }

    /** Forgets the session, unless a newer one of the same device has replaced it already. */
    void remove(DeviceSession session) {
        sessions.remove(session.key(), session);
    }

    Optional<DeviceSession> current(String key) {
        return Optional.ofNullable(sessions.get(key));
    }

    Collection<DeviceSession> all() {
        return sessions.values();
    }

    public int size() {
        return sessions.size();
    }
}
