package io.outpost.registry.repository;

import java.util.Map;

/**
 * What to list: a tenant's devices, optionally only members of a group, matching every label of the selector, online
 * or offline, enabled or disabled; in a sort order; after a cursor; at most limit of them.
 */
public record DeviceQuery(
        String tenantId,
        String group,
        Map<String, String> labels,
        Boolean online,
        Boolean enabled,
        DeviceSort sort,
        String cursor,
        int limit) {
}
