package io.outpost.contracts;

import java.time.Instant;

/**
 * A JSON record on {@link Topics#BRIDGE_NODES}, keyed by the node id (not {@code {tenant}/{device}}: it is about a
 * node). Every bridge node publishes STARTED once, ALIVE every {@code interval} while it runs and STOPPED when it shuts
 * down cleanly. A node that sent nothing for three intervals is dead: its sessions have ended although no DISCONNECTED
 * was published for them. A STARTED (or ALIVE) with a later {@code startedAt} than before means the node restarted:
 * every session it held in its previous life has ended too.
 *
 * @param node      the node id, as in {@link DeviceSessionEvent#node()}
 * @param startedAt when this life of the node began
 * @param at        when the event was published (the node's clock)
 * @param interval  how often ALIVE follows, in milliseconds
 */
public record BridgeNodeEvent(
        String node,
        BridgeNodeEventType type,
        Instant startedAt,
        Instant at,
        long interval) {
}
