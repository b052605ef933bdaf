package io.outpost.contracts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A JSON record on the compacted {@link Topics#REGISTRY_DEVICES}, keyed {@code {tenant}/{device}}; a null value
 * (tombstone) means the device was deleted. The latest record per key is the device as the registry has it.
 *
 * @param enabled a disabled device may not connect
 * @param groups  ids of the groups it belongs to
 * @param labels  key/value labels for selection
 * @param secrets at most two active secret hashes (rotation)
 * @param version the registry's optimistic-lock version; higher is newer
 * @param createdAt when this device was created: its <b>incarnation</b>. A device deleted and created again with the
 *                  same id has a new one, so owners tell what was meant for its predecessor apart (ARCHITECTURE.md,
 *                  device lifecycle); null only in records written before it existed
 */
public record RegistryDevice(
        String tenant,
        String device,
        boolean enabled,
        List<String> groups,
        Map<String, String> labels,
        List<SecretHash> secrets,
        long version,
        Instant updatedAt,
        Instant createdAt) {
}
