package io.outpost.registryview;

import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sorted set of ids that lists in time proportional to its size and counts in constant time (a skip list's own
 * {@code size()} walks every element). One writer; readers on any thread see each id either present or absent, and
 * a count that may trail the set by the change in flight.
 */
final class SortedIds {
    private final ConcurrentSkipListSet<String> ids = new ConcurrentSkipListSet<>();
    private final AtomicInteger size = new AtomicInteger();

    void add(String id) {
        if (ids.add(id)) {
            size.incrementAndGet();
        }
    }

    void remove(String id) {
        if (ids.remove(id)) {
            size.decrementAndGet();
        }
    }

    boolean contains(String id) {
        return ids.contains(id);
    }

    int size() {
        return size.get();
    }

    boolean isEmpty() {
        return size.get() == 0;
    }

    /** The ids in ascending order, as a copy. */
    List<String> list() {
        return List.copyOf(ids);
    }
}
