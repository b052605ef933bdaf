package io.outpost.contracts;

import java.time.Instant;

/**
 * A JSON record on {@link Topics#DEVICE_SESSIONS}, keyed {@code {tenant}/{device}}.
 * A DISCONNECTED whose {@code sessionId} is not the device's current session is stale and must not mark it offline.
 *
 * @param sessionId       unique per MQTT connection
 * @param node            the bridge node holding the session
 * @param reason          for DISCONNECTED: why, e.g. {@code client}, {@code takeover}, {@code keepalive}; otherwise null
 * @param protocolVersion {@code 3.1.1} or {@code 5.0}
 * @param remoteAddress   the device's address as the node saw it
 */
public record DeviceSessionEvent(
        String tenant,
        String device,
        SessionEventType type,
        String sessionId,
        String node,
        Instant at,
        String reason,
        String protocolVersion,
        String remoteAddress) {
}
