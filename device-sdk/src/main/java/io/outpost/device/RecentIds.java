package io.outpost.device;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of the last messages handled, to drop a redelivered copy: delivery is at least once, and a command must not
 * run twice because its PUBACK was lost with a bridge node.
 */
final class RecentIds {
    private final Map<String, Boolean> ids;

    RecentIds(int capacity) {
        this.ids = new LinkedHashMap<>(capacity * 2, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True the first time an id is seen (within the last {@code capacity} ids), false for a duplicate. */
    synchronized boolean firstTime(String id) {
        return ids.putIfAbsent(id, Boolean.TRUE) == null;
    }
}
