package io.outpost.bridge.delivery;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

import org.jboss.logging.Logger;

/**
 * The ids of revoked messages, per tenant, each remembered until its message's local deadline plus {@link #GRACE}:
 * after the deadline no copy of the message may be delivered anyway. The grace covers a later copy whose record
 * waited longer in Kafka before this node read it, which makes its local deadline that much later than the
 * revocation's.
 * <p>
 * Invariants: at most {@code capacity} ids are remembered; one more forgets the id whose time ends first (logged at
 * warn: a copy of that message read later could be delivered). Memory grows with use, up to {@code capacity} ids of
 * about 200 bytes each. Thread-safe.
 */
public final class RevokedIds {
    private static final Logger LOG = Logger.getLogger(RevokedIds.class);
    static final Duration GRACE = Duration.ofMinutes(1);

    private record Entry(String key, long untilNanos) {
    }

    private final int capacity;
    private final Map<String, Long> until = new HashMap<>();
    /** Soonest end first; may hold outdated entries of ids revoked again with a later deadline, skipped when met. */
    private final PriorityQueue<Entry> byEnd = new PriorityQueue<>(
            (a, b) -> Long.signum(a.untilNanos() - b.untilNanos()));

    public RevokedIds(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
    }

    /** Remembers that message {@code id} of {@code tenant} is revoked; {@code deadlineNanos} is its local deadline. */
    public synchronized void revoke(String tenant, String id, long deadlineNanos, long nowNanos) {
        forgetEnded(nowNanos);
        String key = key(tenant, id);
        long end = deadlineNanos + GRACE.toNanos();
        if (end - nowNanos <= 0) {
            return;
        }
        Long known = until.get(key);
        if (known != null && known - end >= 0) {
            return;
        }
        until.put(key, end);
        byEnd.add(new Entry(key, end));
        while (until.size() > capacity) {
            Entry forgotten = pollCurrent();
            LOG.warnf("%d revoked message ids remembered, the configured maximum: forgot %s before its time ended",
                    capacity, forgotten.key());
        }
    }

    public synchronized boolean revoked(String tenant, String id, long nowNanos) {
        forgetEnded(nowNanos);
        return until.containsKey(key(tenant, id));
    }

    public synchronized int size() {
        return until.size();
    }

    private void forgetEnded(long nowNanos) {
        while (!byEnd.isEmpty() && nowNanos - byEnd.peek().untilNanos() >= 0) {
            Entry ended = byEnd.poll();
            until.remove(ended.key(), ended.untilNanos());
        }
    }

    /** Removes and returns the entry ending first, skipping outdated ones. */
    private Entry pollCurrent() {
        while (true) {
            Entry first = byEnd.poll();
            if (until.remove(first.key(), first.untilNanos())) {
                return first;
            }
        }
    }

    private static String key(String tenant, String id) {
        return tenant + "/" + id;
    }
}
