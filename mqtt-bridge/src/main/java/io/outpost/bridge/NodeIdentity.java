package io.outpost.bridge;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.outpost.bridge.config.BridgeConfig;

/**
 * Who this bridge node is, in session events and as the CloudEvents source of its records, and which life of it this
 * is: a configured node id stays the same across restarts, so {@link #startedAt()} tells the lives apart.
 */
@ApplicationScoped
public class NodeIdentity {
    private final String id;
    private final Instant startedAt;

    @Inject
    public NodeIdentity(BridgeConfig config) {
        this(config.nodeId().orElseGet(() -> "bridge-" + UUID.randomUUID().toString().substring(0, 8)), Instant.now());
    }

    public NodeIdentity(String id, Instant startedAt) {
        this.id = id;
        this.startedAt = startedAt;
    }

    public String id() {
        return id;
    }

    /** When this life of the node began (its identity is made during startup); never changes while it runs. */
    public Instant startedAt() {
        return startedAt;
    }

    public String source() {
        return "/outpost/mqtt-bridge/" + id;
    }
}
