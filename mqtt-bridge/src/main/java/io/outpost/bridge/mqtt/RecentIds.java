package io.outpost.bridge.mqtt;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last {@code capacity} distinct ids added, in the order they were first added; adding one more forgets the
 * oldest. Memory grows with use, up to {@code capacity} ids. One per session, used on its context only: no locking.
 */
final class RecentIds {
    private final Map<String, Boolean> ids;

    RecentIds(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.ids = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Remembers the id; false if it is remembered already (then nothing changes, it keeps its place). */
    boolean add(String id) {
        return ids.putIfAbsent(id, Boolean.TRUE) == null;
    }

    boolean contains(String id) {
        return ids.containsKey(id);
    }

    int size() {
        return ids.size();
    }
}
