package io.outpost.registryview;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.outpost.contracts.RegistryDevice;

/**
 * Device ids by tenant and by group, kept from the device records as they change, so that a group's or a fleet's
 * members are listed in time proportional to their number and counted in constant time, not found by scanning every
 * device.
 * <p>
 * The follower thread is the only writer; request threads read. A device that changes groups is added to its new
 * groups before it leaves its old ones, and stays in its tenant throughout: a reader sees it in each group either
 * before or after the change, never missing from the tenant. Lists are copies, sorted by device id.
 */
final class MembershipIndex {
    private final Map<String, TenantMembers> tenants = new ConcurrentHashMap<>();

    /** Moves the index from one record of a key to the next; null for a device that did not or no longer exists. */
    void update(RegistryDevice before, RegistryDevice after) {
        boolean sameDevice = indexable(before) && indexable(after) && before.tenant().equals(after.tenant())
                && before.device().equals(after.device());
        if (indexable(after)) {
            tenants.computeIfAbsent(after.tenant(), id -> new TenantMembers()).add(after.device(), groups(after));
        }
        if (indexable(before)) {
            TenantMembers tenant = tenants.get(before.tenant());
            if (tenant != null) {
                tenant.remove(before.device(), groups(before), sameDevice ? groups(after) : null);
                if (tenant.isEmpty()) {
                    tenants.remove(before.tenant(), tenant);
                }
            }
        }
    }

    List<String> members(String tenant, String group) {
        return read(tenant, members -> members.members(group), SortedIds::list, List.of());
    }

    int memberCount(String tenant, String group) {
        return read(tenant, members -> members.members(group), SortedIds::size, 0);
    }

    List<String> devices(String tenant) {
        return read(tenant, TenantMembers::devices, SortedIds::list, List.of());
    }

    int deviceCount(String tenant) {
        return read(tenant, TenantMembers::devices, SortedIds::size, 0);
    }

    private <R> R read(String tenant, Function<TenantMembers, SortedIds> which, Function<SortedIds, R> answer,
            R none) {
        TenantMembers members = tenants.get(tenant);
        SortedIds ids = members == null ? null : which.apply(members);
        return ids == null ? none : answer.apply(ids);
    }

    private static boolean indexable(RegistryDevice device) {
        return device != null && device.tenant() != null && device.device() != null;
    }

    private static List<String> groups(RegistryDevice device) {
        return device.groups() == null ? List.of() : device.groups().stream().filter(Objects::nonNull).toList();
    }
}
