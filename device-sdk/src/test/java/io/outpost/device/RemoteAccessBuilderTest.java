package io.outpost.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RemoteAccessBuilderTest {

    @Test
    void remoteAccessIsOffUnlessAllowed() {
        try (OutpostDevice device = builder().build()) {
            device.setRemoteAccessKillSwitch(false);

            assertTrue(device.remoteAccessKillSwitch(), "no tunnels without allowRemoteAccess");
        }
    }

    @Test
    void theKillSwitchStartsAsBuiltAndCanBeSwitchedAtRuntime() {
        try (OutpostDevice device = builder().allowRemoteAccess(22).remoteAccessKillSwitch(true).build()) {
            assertTrue(device.remoteAccessKillSwitch());

            device.setRemoteAccessKillSwitch(false);
            assertFalse(device.remoteAccessKillSwitch());

            device.setRemoteAccessKillSwitch(true);
            assertTrue(device.remoteAccessKillSwitch());
        }
    }

    @Test
    void allowedPortsMustBeGivenAnd1To65535() {
        assertThrows(IllegalArgumentException.class, () -> builder().allowRemoteAccess());
        var zero = assertThrows(IllegalArgumentException.class, () -> builder().allowRemoteAccess(22, 0));
        assertEquals("a port must be 1-65535, was 0", zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder().allowRemoteAccess(65_536));
    }

    private static OutpostDevice.Builder builder() {
        return OutpostDevice.builder().endpoint("127.0.0.1", 1).credentials("acme", "scanner-7", "secret");
    }
}
