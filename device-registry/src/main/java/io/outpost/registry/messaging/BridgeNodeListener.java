package io.outpost.registry.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.outpost.contracts.BridgeNodeEvent;
import io.outpost.registry.service.NodeTracker;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Follows the bridge nodes' heartbeats ({@code outpost.bridge-nodes.v1}) and, every second, ends the sessions of
 * nodes that fell silent, so a device whose node was killed shows offline within about three heartbeat intervals
 * (15 s with the bridge's default) although no DISCONNECTED was ever published for it.
 */
@ApplicationScoped
public class BridgeNodeListener {
    private static final Logger LOG = Logger.getLogger(BridgeNodeListener.class);

    @Inject
    NodeTracker nodes;

    @Incoming("bridge-nodes")
    @Blocking(ordered = true)
    public void onNodeEvent(BridgeNodeEvent event) {
        if (event == null || event.node() == null || event.type() == null || event.startedAt() == null
                || event.interval() <= 0) {
            LOG.warnf("skipped an incomplete bridge node event: %s", event);
            return;
        }
        nodes.apply(event);
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweepLostNodes() {
        nodes.sweepLost();
    }
}
