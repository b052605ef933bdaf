package io.outpost.bridge.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class FailureThrottleTest {
    final AtomicLong now = new AtomicLong();
    final FailureThrottle throttle = new FailureThrottle(3, Duration.ofSeconds(60), now::get);

    @Test
    void keyIsBlockedAtTheLimitUntilItsWindowEnds() {
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");
        assertFalse(throttle.blocked("10.0.0.1"));

        throttle.failed("10.0.0.1");
        assertTrue(throttle.blocked("10.0.0.1"));
        assertFalse(throttle.blocked("10.0.0.2"));

        now.addAndGet(Duration.ofSeconds(61).toNanos());
        assertFalse(throttle.blocked("10.0.0.1"));
    }

    @Test
    void failuresInAnOldWindowDoNotCount() {
        throttle.failed("d@t");
        throttle.failed("d@t");
        now.addAndGet(Duration.ofSeconds(61).toNanos());
        throttle.failed("d@t");
        assertFalse(throttle.blocked("d@t"));
    }
}
