package io.outpost.bridge.mqtt;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code ratePerSecond} tokens a second, at most {@code burst} saved up. One per session, used on the
 * session's context only, so it needs no locking.
 */
final class RateLimiter {
    private final double ratePerNano;
    private final double burst;
    private final LongSupplier clock;
    private double tokens;
    private long last;

    RateLimiter(int ratePerSecond, int burst, LongSupplier nanoClock) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.clock = nanoClock;
        this.tokens = burst;
        this.last = nanoClock.getAsLong();
    }

    /** Takes a token if there is one. */
    boolean tryAcquire() {
        long now = clock.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) * ratePerNano);
        last = now;
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }
}
