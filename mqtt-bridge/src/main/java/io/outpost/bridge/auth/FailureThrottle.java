package io.outpost.bridge.auth;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Counts failed attempts per key in fixed windows; once a key reaches the limit it stays blocked until its window
 * ends. Keys are device identities and source addresses, so guessing one device's secret and spraying many devices
 * from one address are both slowed down.
 */
public final class FailureThrottle {
    private record Window(long start, int failures) {
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final int maxFailures;
    private final long windowNanos;
    private final LongSupplier clock;

    public FailureThrottle(int maxFailures, Duration window, LongSupplier nanoClock) {
        this.maxFailures = maxFailures;
        this.windowNanos = window.toNanos();
        this.clock = nanoClock;
    }

    public boolean blocked(String key) {
        Window window = windows.get(key);
        return window != null && current(window) && window.failures() >= maxFailures;
    }

    public void failed(String key) {
        long now = clock.getAsLong();
        windows.compute(key, (k, window) -> window == null || !current(window)
                ? new Window(now, 1)
                : new Window(window.start(), window.failures() + 1));
        if (windows.size() > 100_000) {
            windows.values().removeIf(window -> !current(window));
        }
    }

    private boolean current(Window window) {
        return clock.getAsLong() - window.start() < windowNanos;
    }
}
