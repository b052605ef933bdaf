package io.outpost.registry.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.outpost.contracts.DeviceSessionEvent;
import io.outpost.contracts.SessionEventType;
import io.outpost.registry.ConnectionStatus;
import io.outpost.registry.Device;

/**
 * Keeps each device's connection status from the bridge's session events. The session id decides: a DISCONNECTED
 * counts only for the session that is current, so a late DISCONNECTED from a node the device already left never
 * marks it offline; and an event older than the current state is stale.
 */
@ApplicationScoped
public class ConnectionTracker {

    /** Applies the event; returns false when it was ignored (unknown device, stale or foreign session). */
    @Transactional
    public boolean apply(DeviceSessionEvent event) {
        Device device = Device.find(event.tenant(), event.device()).orElse(null);
        if (device == null || event.type() == null || event.at() == null || event.sessionId() == null) {
            return false;
        }
        ConnectionStatus status = ConnectionStatus.findById(device.pk, LockModeType.PESSIMISTIC_WRITE);
        if (status == null) {
            if (event.type() != SessionEventType.CONNECTED) {
                return false;
            }
            status = new ConnectionStatus();
            status.devicePk = device.pk;
            connect(status, event);
            status.persist();
            return true;
        }
        boolean current = event.sessionId().equals(status.sessionId);
        switch (event.type()) {
            case CONNECTED -> {
                if (event.at().isBefore(status.since)) {
                    return false;
                }
                connect(status, event);
            }
            case SUBSCRIBED -> {
                if (!current) {
                    return false;
                }
                seen(status, event);
            }
            case DISCONNECTED -> {
                if (!current || !status.online || event.at().isBefore(status.since)) {
                    return false;
                }
                status.online = false;
                status.since = event.at();
                seen(status, event);
            }
        }
        return true;
    }

    private static void connect(ConnectionStatus status, DeviceSessionEvent event) {
        status.online = true;
        status.since = event.at();
        status.sessionId = event.sessionId();
        status.node = event.node();
        status.protocolVersion = event.protocolVersion();
        status.remoteAddress = event.remoteAddress();
        seen(status, event);
    }

    private static void seen(ConnectionStatus status, DeviceSessionEvent event) {
        if (status.lastSeen == null || event.at().isAfter(status.lastSeen)) {
            status.lastSeen = event.at();
        }
    }
}
