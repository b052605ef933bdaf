package io.outpost.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "PT30S, PT30S", "P7D, PT168H", "30s, PT30S", "500ms, PT0.5S", "10m, PT10M", "2h, PT2H", "7d, PT168H",
            "-PT1M, PT-1M", "PT0S, PT0S" })
    void isoAndShortFormsAreRead(String text, Duration expected) {
        assertEquals(expected, Durations.parse(text).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "soon", "30", "30 s", "P1M", "1w", "s" })
    void anythingElseIsNot(String text) {
        assertTrue(Durations.parse(text).isEmpty());
    }
}
