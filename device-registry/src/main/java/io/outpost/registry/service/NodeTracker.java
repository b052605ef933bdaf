package io.outpost.registry.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.outpost.contracts.BridgeNodeEvent;
import io.outpost.contracts.BridgeNodeEventType;

/**
 * Ends the sessions of bridge nodes that ended without saying so for each device: a node that restarted (its
 * sessions from before its new start), one that stopped, and one that fell silent for {@link #MISSED_HEARTBEATS} of
 * its heartbeat intervals (SIGKILL, lost machine). Silence is measured with this registry's clock.
 */
@ApplicationScoped
public class NodeTracker {
    private static final Logger LOG = Logger.getLogger(NodeTracker.class);
    static final int MISSED_HEARTBEATS = 3;

    @Inject
    EntityManager entityManager;

    /** Records a heartbeat, start or stop of a node; ends the sessions it no longer holds. */
    @Transactional
    public void apply(BridgeNodeEvent event) {
        Instant now = Clock.now();
        Instant startedAt = event.startedAt();
        String state = event.type() == BridgeNodeEventType.STOPPED ? "STOPPED" : "ALIVE";
        Instant previousStart = (Instant) entityManager.createNativeQuery("select started_at from bridge_node"
                + " where node_id = :node for update", Instant.class).setParameter("node", event.node())
                .getResultStream().findFirst().orElse(null);
        if (previousStart != null && startedAt.isBefore(previousStart)) {
            return;
        }
        entityManager.createNativeQuery("insert into bridge_node (node_id, started_at, last_heard, interval_ms, state)"
                + " values (:node, :started, :now, :interval, :state) on conflict (node_id) do update set"
                + " started_at = excluded.started_at, last_heard = excluded.last_heard,"
                + " interval_ms = excluded.interval_ms, state = excluded.state")
                .setParameter("node", event.node()).setParameter("started", startedAt).setParameter("now", now)
                .setParameter("interval", event.interval()).setParameter("state", state).executeUpdate();
        if (event.type() == BridgeNodeEventType.STOPPED) {
            endSessions(event.node(), event.at(), "node-stopped");
        } else if (previousStart == null || startedAt.isAfter(previousStart)) {
            endSessions(event.node(), startedAt, "node-restarted");
        }
    }

    /** Marks nodes silent for too long LOST and ends their sessions; returns how many nodes it found. */
    @Transactional
    public int sweepLost() {
        Instant now = Clock.now();
        @SuppressWarnings("unchecked")
        List<Object[]> silent = entityManager.createNativeQuery("select node_id, last_heard from bridge_node"
                + " where state = 'ALIVE' and last_heard + interval_ms * :missed * interval '1 millisecond' < :now"
                + " for update skip locked").setParameter("missed", MISSED_HEARTBEATS).setParameter("now", now)
                .getResultList();
        for (Object[] node : silent) {
            String id = (String) node[0];
            entityManager.createNativeQuery("update bridge_node set state = 'LOST' where node_id = :node")
                    .setParameter("node", id).executeUpdate();
            int ended = endSessions(id, null, "node-lost");
            LOG.warnf("bridge node %s silent since %s: lost, %d sessions marked offline", id, node[1], ended);
        }
        return silent.size();
    }

    /** Marks the node's online sessions that began before {@code before} (all if null) offline. */
    private int endSessions(String node, Instant before, String reason) {
        var update = entityManager.createNativeQuery("update connection_status set online = false, since = :now"
                + " where online and node = :node" + (before == null ? "" : " and since < :before"))
                .setParameter("now", Clock.now()).setParameter("node", node);
        if (before != null) {
            update.setParameter("before", before);
        }
        int ended = update.executeUpdate();
        if (ended > 0) {
            LOG.infof("%d sessions of bridge node %s ended: %s", ended, node, reason);
        }
        return ended;
    }
}
