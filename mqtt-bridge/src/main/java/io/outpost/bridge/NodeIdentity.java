package io.outpost.bridge;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.outpost.bridge.config.BridgeConfig;

/** Who this bridge node is, in session events and as the CloudEvents source of its records. */
@ApplicationScoped
public class NodeIdentity {
    private final String id;

    @Inject
    public NodeIdentity(BridgeConfig config) {
        this.id = config.nodeId().orElseGet(() -> "bridge-" + UUID.randomUUID().toString().substring(0, 8));
    }

    public String id() {
        return id;
    }

    public String source() {
        return "/outpost/mqtt-bridge/" + id;
    }
}
