package io.outpost.contracts;

import java.time.Instant;

/**
 * A JSON record on the compacted {@link Topics#REGISTRY_GROUPS}, keyed {@code {tenant}/{group}}; a null value
 * (tombstone) means the group was deleted. Which devices belong to it is on their {@link RegistryDevice} records.
 *
 * @param version the registry's optimistic-lock version; higher is newer
 */
public record RegistryGroup(
        String tenant,
        String group,
        String name,
        long version,
        Instant updatedAt) {
}
