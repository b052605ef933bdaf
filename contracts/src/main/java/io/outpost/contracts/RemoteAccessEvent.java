package io.outpost.contracts;

import java.time.Instant;
import java.util.List;

/**
 * An audit record of remote access: a JSON record on {@link Topics#REMOTE_ACCESS_EVENTS}, keyed
 * {@code {tenant}/{device}} for a device's switch and its tunnels, {@code {tenant}/group:{group}} for a group's switch
 * and {@code {tenant}/fleet} for the fleet's; {@code ce_type} {@link CloudEventTypes#REMOTE_ACCESS_EVENT}, {@code ce_id}
 * the event's id.
 *
 * @param actor   who did it: the caller's name, or {@code platform} for what the platform did by itself
 * @param scope   {@code fleet}, {@code group} or {@code device}
 * @param target  the group's or device's id; null for the fleet
 * @param before  a switch event's switch before (null: none was set)
 * @param after   a switch event's switch after (null: removed)
 * @param reason  the reason given with a switch, or why a tunnel closed
 * @param tunnel  a tunnel event's tunnel
 */
public record RemoteAccessEvent(
        String id,
        String tenant,
        RemoteAccessEventType type,
        Instant at,
        String actor,
        String scope,
        String target,
        Switch before,
        Switch after,
        String reason,
        Tunnel tunnel) {

    /** A remote-access switch as set. */
    public record Switch(boolean enabled, Instant until, List<Integer> ports, String reason) {
    }

    /**
     * A tunnel as far as it went.
     *
     * @param closeCode       the WebSocket close code it ended with (docs/remote-access.md); null while open
     * @param bytesToDevice   bytes from the operator to the device
     * @param bytesFromDevice bytes from the device to the operator
     */
    public record Tunnel(String id, String device, int port, String openedBy, Instant requestedAt, Instant closesBy,
            Instant connectedAt, Instant closedAt, Integer closeCode, long bytesToDevice, long bytesFromDevice) {
    }
}
