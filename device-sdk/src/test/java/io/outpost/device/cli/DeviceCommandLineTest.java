package io.outpost.device.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DeviceCommandLineTest {

    @Test
    void remoteAccessPortsAreACommaSeparatedList() {
        assertArrayEquals(new int[] {22}, DeviceCommandLine.ports("22"));
        assertArrayEquals(new int[] {22, 2222}, DeviceCommandLine.ports("22,2222"));
        assertArrayEquals(new int[] {22, 2222}, DeviceCommandLine.ports("22, 2222"));
    }

    @Test
    void aRemoteAccessPortMustBe1To65535() {
        var zero = assertThrows(IllegalArgumentException.class, () -> DeviceCommandLine.ports("0"));
        assertEquals("--allow-remote-access must be a number 1-65535, was 0", zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeviceCommandLine.ports("22,ssh"));
        assertThrows(IllegalArgumentException.class, () -> DeviceCommandLine.ports("22,"));
        assertThrows(IllegalArgumentException.class, () -> DeviceCommandLine.ports("65536"));
    }
}
