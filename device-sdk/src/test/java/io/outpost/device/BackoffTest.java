package io.outpost.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    @Test
    void ceilingDoublesFromTheInitialDelayUpToTheMaximum() {
        assertEquals(500, backoff.ceiling(0));
        assertEquals(1000, backoff.ceiling(1));
        assertEquals(16_000, backoff.ceiling(5));
        assertEquals(30_000, backoff.ceiling(6));
        assertEquals(30_000, backoff.ceiling(1000));
    }

    @Test
    void delaysAreJitteredBetweenHalfAndAllOfTheCeiling() {
        Set<Long> distinct = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            long delay = backoff.delay(3).toMillis();
            assertTrue(delay >= 2000 && delay <= 4000, "delay " + delay);
            distinct.add(delay);
        }
        assertTrue(distinct.size() > 100, "a fleet must not reconnect in lockstep: " + distinct.size() + " values");
    }

    @Test
    void refusesAMaximumBelowTheInitialDelay() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
    }
}
