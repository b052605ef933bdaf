package io.outpost.registryview;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One tenant's device ids, and the ids of each of its groups' members. One writer, any number of readers. */
final class TenantMembers {
    private final SortedIds devices = new SortedIds();
    private final Map<String, SortedIds> groups = new ConcurrentHashMap<>();

    void add(String device, Collection<String> groupIds) {
        devices.add(device);
        for (String group : groupIds) {
            groups.computeIfAbsent(group, id -> new SortedIds()).add(device);
        }
    }

    /**
     * Takes the device out of {@code groupIds} except those it keeps; with {@code kept} null it leaves the tenant too.
     * A group left without members is forgotten, so deleted groups do not pile up.
     */
    void remove(String device, Collection<String> groupIds, Collection<String> kept) {
        for (String group : groupIds) {
            if (kept != null && kept.contains(group)) {
                continue;
            }
            SortedIds members = groups.get(group);
            if (members != null) {
                members.remove(device);
                if (members.isEmpty()) {
                    groups.remove(group, members);
                }
            }
        }
        if (kept == null) {
            devices.remove(device);
        }
    }

    boolean isEmpty() {
        return devices.isEmpty();
    }

    SortedIds devices() {
        return devices;
    }

    /** The group's members, or null for a group without members (the index cannot tell it from an unknown one). */
    SortedIds members(String group) {
        return groups.get(group);
    }
}
