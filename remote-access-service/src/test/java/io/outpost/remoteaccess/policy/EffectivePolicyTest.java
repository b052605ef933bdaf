package io.outpost.remoteaccess.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class EffectivePolicyTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void offWithoutAnySwitch() {
        EffectivePolicy policy = EffectivePolicy.of("d", List.of("g"), List.of(), NOW);
        assertFalse(policy.enabled());
        assertEquals("default", policy.decidedBy());
    }

    @Test
    void aDeviceSwitchedOffStaysOffWhateverItsGroupsAndTheFleetSay() {
        EffectivePolicy policy = EffectivePolicy.of("d", List.of("g"), List.of(fleet(on(22)),
                group("g", on(22)), device("d", off())), NOW);
        assertFalse(policy.allows(22));
        assertEquals("device", policy.decidedBy());
    }

    @Test
    void anExpiredDeviceSwitchDecidesOff() {
        AccessSwitch expired = device("d", on(22));
        expired.until = NOW.minusSeconds(1);
        EffectivePolicy policy = EffectivePolicy.of("d", List.of(), List.of(fleet(on(22)), expired), NOW);
        assertFalse(policy.enabled());
        assertEquals("device", policy.decidedBy());
    }

    @Test
    void groupsOnAddTheirPortsAndOverrideTheFleet() {
        EffectivePolicy policy = EffectivePolicy.of("d", List.of("a", "b", "c"), List.of(fleet(on(80)),
                group("a", on(22)), group("b", on(8080)), group("c", off()), group("x", on(443))), NOW);
        assertTrue(policy.enabled());
        assertEquals(Set.of(22, 8080), policy.ports());
        assertEquals(List.of("a", "b"), policy.groups());
        assertFalse(policy.allows(80), "the fleet's port: the groups decided");
    }

    @Test
    void groupsAllOffDecideOff() {
        EffectivePolicy policy = EffectivePolicy.of("d", List.of("c"), List.of(fleet(on(22)), group("c", off())),
                NOW);
        assertFalse(policy.enabled());
        assertEquals("group", policy.decidedBy());
    }

    @Test
    void anotherDevicesSwitchDoesNotCount() {
        EffectivePolicy policy = EffectivePolicy.of("d", List.of(), List.of(device("e", on(22))), NOW);
        assertFalse(policy.enabled());
    }

    private static AccessSwitch on(int port) {
        AccessSwitch set = new AccessSwitch();
        set.enabled = true;
        set.until = NOW.plusSeconds(60);
        set.ports = List.of(port);
        return set;
    }

    private static AccessSwitch off() {
        AccessSwitch set = new AccessSwitch();
        set.enabled = false;
        set.ports = List.of();
        return set;
    }

    private static AccessSwitch fleet(AccessSwitch set) {
        set.scope = Scope.FLEET;
        return set;
    }

    private static AccessSwitch group(String group, AccessSwitch set) {
        set.scope = Scope.GROUP;
        set.target = group;
        return set;
    }

    private static AccessSwitch device(String device, AccessSwitch set) {
        set.scope = Scope.DEVICE;
        set.target = device;
        return set;
    }
}
