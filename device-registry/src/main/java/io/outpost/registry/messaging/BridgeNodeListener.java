package io.outpost.registry.messaging;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.outpost.contracts.BridgeNodeEvent;
import io.outpost.messaging.DatabaseOutages;
import io.outpost.messaging.RecordRetries;
import io.outpost.registry.service.NodeTracker;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Follows the bridge nodes' heartbeats ({@code outpost.bridge-nodes.v1}) and, every second, ends the sessions of
 * nodes that fell silent, so a device whose node was killed shows offline within about three heartbeat intervals
 * (15 s with the bridge's default) although no DISCONNECTED was ever published for it. Through a database outage a
 * heartbeat is retried until the database is back, and the sweep waits {@link #SWEEP_PAUSE_AFTER_OUTAGE} after the
 * last failure: the heartbeats that arrived meanwhile are applied first, so no live node is taken for a lost one.
 */
@ApplicationScoped
public class BridgeNodeListener {
    private static final Logger LOG = Logger.getLogger(BridgeNodeListener.class);
    static final Duration SWEEP_PAUSE_AFTER_OUTAGE = Duration.ofSeconds(15);

    @Inject
    NodeTracker nodes;

    private volatile boolean stopping;
    private volatile long sweepsPausedUntil = System.nanoTime();

    void onStop(@Observes ShutdownEvent stop) {
        stopping = true;
    }

    @Incoming("bridge-nodes")
    @Blocking(ordered = true)
    public void onNodeEvent(BridgeNodeEvent event) {
        if (event == null || event.node() == null || event.type() == null || event.startedAt() == null
                || event.interval() <= 0) {
            LOG.warnf("skipped an incomplete bridge node event: %s", event);
            return;
        }
        RecordRetries.apply("the heartbeat of bridge node " + event.node(),
                () -> pauseSweepsOnOutage(() -> nodes.apply(event)), () -> stopping);
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweepLostNodes() {
        if (System.nanoTime() - sweepsPausedUntil >= 0) {
            pauseSweepsOnOutage(nodes::sweepLost);
        }
    }

    private void pauseSweepsOnOutage(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            if (DatabaseOutages.isOutage(e)) {
                sweepsPausedUntil = System.nanoTime() + SWEEP_PAUSE_AFTER_OUTAGE.toNanos();
            }
            throw e;
        }
    }
}
