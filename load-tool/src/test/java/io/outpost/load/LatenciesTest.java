package io.outpost.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatenciesTest {
    @Test
    void percentilesAreNearestRankOverWhatWasRecorded() {
        Latencies latencies = new Latencies(1000);
        for (int ms = 100; ms >= 1; ms--) {
            latencies.record(ms * 1_000_000L);
        }
        assertEquals(50.0, latencies.millis(0.50));
        assertEquals(99.0, latencies.millis(0.99));
        assertEquals(100.0, latencies.millis(0.999));
        assertEquals(1.0, latencies.millis(0.0));
    }

    @Test
    void beyondItsCapacityItKeepsTheFirstValues() {
        Latencies latencies = new Latencies(2);
        latencies.record(1_000_000);
        latencies.record(2_000_000);
        latencies.record(900_000_000);
        assertEquals(2.0, latencies.millis(1.0));
    }

    @Test
    void nothingRecordedIsNotANumber() {
        assertTrue(Double.isNaN(new Latencies(10).millis(0.5)));
    }
}
