package io.outpost.device.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void aDeclaredFlagTakesNoValueAndTheOthersTakeOne() {
        Options options = new Options(new String[] {"--remote-access-kill-switch", "--port", "1883", "--help"},
                Set.of("help", "remote-access-kill-switch"));

        assertTrue(options.flag("remote-access-kill-switch"));
        assertTrue(options.flag("help"));
        assertEquals("1883", options.required("port"));
        options.requireAllUsed();
    }

    @Test
    void aFlagNotGivenIsFalse() {
        Options options = new Options(new String[] {"--port", "1883"}, Set.of("help"));

        assertFalse(options.flag("help"));
    }

    @Test
    void anOptionWithoutItsValueIsNamed() {
        var missing = assertThrows(IllegalArgumentException.class,
                () -> new Options(new String[] {"--port", "1883", "--tenant"}));

        assertEquals("--tenant needs a value", missing.getMessage());
    }

    @Test
    void optionsAndFlagsNobodyAskedForAreReported() {
        Options options = new Options(new String[] {"--tenant", "acme", "--colour", "red", "--verbose"},
                Set.of("verbose"));
        options.required("tenant");

        var unknown = assertThrows(IllegalArgumentException.class, options::requireAllUsed);

        assertEquals("unknown options: --colour, --verbose", unknown.getMessage());
    }

    @Test
    void aNumberOutsideItsRangeOrNotANumberIsRefusedNamingTheOption() {
        assertEquals(22, Options.number("port", " 22", 1, 65_535));
        assertThrows(IllegalArgumentException.class, () -> Options.number("port", "0", 1, 65_535));
        var notANumber = assertThrows(IllegalArgumentException.class, () -> Options.number("port", "ssh", 1, 65_535));
        assertEquals("--port must be a number 1-65535, was ssh", notANumber.getMessage());
    }
}
