package io.outpost.bridge.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    final AtomicLong now = new AtomicLong();
    final RateLimiter limiter = new RateLimiter(10, 20, now::get);

    @Test
    void burstIsAllowedThenTheRate() {
        int allowed = 0;
        while (limiter.tryAcquire()) {
            allowed++;
        }
        assertEquals(20, allowed);

        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
        assertTrue(limiter.tryAcquire());
        assertFalse(limiter.tryAcquire());
    }

    @Test
    void idleTimeSavesUpToTheBurstOnly() {
        now.addAndGet(TimeUnit.HOURS.toNanos(1));
        int allowed = 0;
        while (limiter.tryAcquire()) {
            allowed++;
        }
        assertEquals(20, allowed);
    }
}
