package io.outpost.load;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Which of a fleet's devices one message reached, and when the last of them did ({@link System#nanoTime()}); a second
 * copy at a device counts as a duplicate. Safe for the MQTT clients' threads.
 */
final class Arrivals {
    private final AtomicIntegerArray seen;
    private final LongAdder devices = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

    Arrivals(int fleetSize) {
        seen = new AtomicIntegerArray(fleetSize);
    }

    /** The message reached fleet index {@code device} at {@code nanos}; false if it had reached it before. */
    boolean arrived(int device, long nanos) {
        if (!seen.compareAndSet(device, 0, 1)) {
            duplicates.increment();
            return false;
        }
        last.accumulateAndGet(nanos, Math::max);
        devices.increment();
        return true;
    }

    /** How many devices have it. */
    int devices() {
        return devices.intValue();
    }

    boolean all() {
        return devices.intValue() == seen.length();
    }

    long duplicates() {
        return duplicates.sum();
    }

    /** When the last device got it (nanoTime); {@link Long#MIN_VALUE} while none has. */
    long lastNanos() {
        return last.get();
    }

    /** Waits until every device has it or the deadline (nanoTime) passes; true if every device has it. */
    boolean awaitAll(long deadlineNanos) throws InterruptedException {
        while (!all() && System.nanoTime() < deadlineNanos) {
            Thread.sleep(5);
        }
        return all();
    }
}
