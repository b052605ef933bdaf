package io.outpost.device;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnect delays: exponential from {@code initial}, capped at {@code max}, with "full jitter" (a random delay
 * between half and all of the step), so a fleet that lost its bridge node at once does not come back in lockstep.
 */
record Backoff(Duration initial, Duration max) {

    Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + " and " + max);
        }
    }

    /** The delay before reconnect attempt {@code attempt} (0 = the first attempt after a loss). */
    Duration delay(int attempt) {
        long step = ceiling(attempt);
        return Duration.ofMillis(step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1));
    }

    /** The largest delay attempt {@code attempt} can get. */
    long ceiling(int attempt) {
        long millis = initial.toMillis();
        for (int i = 0; i < attempt && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        return Math.min(millis, max.toMillis());
    }
}
