package io.outpost.registryview;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.outpost.contracts.RegistryDevice;

class MembershipIndexTest {
    private final MembershipIndex index = new MembershipIndex();

    @Test
    void membersAreSortedAndCountedPerTenantAndGroup() {
        index.update(null, device("acme", "d2", "a"));
        index.update(null, device("acme", "d1", "a", "b"));
        index.update(null, device("globex", "d1", "a"));

        assertEquals(List.of("d1", "d2"), index.members("acme", "a"));
        assertEquals(2, index.memberCount("acme", "a"));
        assertEquals(List.of("d1"), index.members("acme", "b"));
        assertEquals(List.of("d1", "d2"), index.devices("acme"));
        assertEquals(1, index.deviceCount("globex"));
        assertEquals(List.of(), index.members("acme", "unknown"));
        assertEquals(0, index.deviceCount("initech"));
    }

    @Test
    void aNewRecordOfTheSameDeviceMovesItBetweenGroups() {
        RegistryDevice before = device("acme", "d1", "a", "b");
        index.update(null, before);

        index.update(before, device("acme", "d1", "b", "c"));

        assertEquals(List.of(), index.members("acme", "a"));
        assertEquals(List.of("d1"), index.members("acme", "b"));
        assertEquals(List.of("d1"), index.members("acme", "c"));
        assertEquals(1, index.deviceCount("acme"));
    }

    @Test
    void aDeletedDeviceLeavesItsGroupsAndItsTenant() {
        RegistryDevice gone = device("acme", "d1", "a");
        index.update(null, gone);
        index.update(null, device("acme", "d2", "a"));

        index.update(gone, null);

        assertEquals(List.of("d2"), index.members("acme", "a"));
        assertEquals(1, index.memberCount("acme", "a"));
        assertEquals(List.of("d2"), index.devices("acme"));
    }

    @Test
    void theLastMemberLeavingEmptiesTheGroupAndTheTenant() {
        RegistryDevice only = device("acme", "d1", "a");
        index.update(null, only);

        index.update(only, null);
        index.update(null, device("acme", "d1"));

        assertEquals(0, index.memberCount("acme", "a"));
        assertEquals(List.of(), index.members("acme", "a"));
        assertEquals(List.of("d1"), index.devices("acme"));
    }

    @Test
    void recordsWithoutIdsOrGroupsAreHarmless() {
        index.update(null, new RegistryDevice(null, "d1", true, List.of("a"), Map.of(), List.of(), 1, Instant.now(), null));
        index.update(null, new RegistryDevice("acme", "d2", true, null, Map.of(), List.of(), 1, Instant.now(), null));
        index.update(null, new RegistryDevice("acme", "d3", true, Arrays.asList("a", null), Map.of(), List.of(), 1,
                Instant.now(), null));

        assertEquals(List.of("d2", "d3"), index.devices("acme"));
        assertEquals(List.of("d3"), index.members("acme", "a"));
    }

    private static RegistryDevice device(String tenant, String device, String... groups) {
        return new RegistryDevice(tenant, device, true, List.of(groups), Map.of(), List.of(), 1, Instant.now(),
                Instant.now());
    }
}
