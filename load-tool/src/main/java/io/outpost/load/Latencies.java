package io.outpost.load;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/** Publish-to-PUBACK latencies in nanoseconds, recorded from many threads; percentiles over what was kept. */
final class Latencies {
    private final long[] values;
    private final AtomicInteger count = new AtomicInteger();

    Latencies(int capacity) {
        values = new long[capacity];
    }

    void record(long nanos) {
        int index = count.getAndIncrement();
        if (index < values.length) {
            values[index] = nanos;
        }
    }

    /** The percentile (0..1) in milliseconds. */
    double millis(double percentile) {
        int size = Math.min(count.get(), values.length);
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return sorted[Math.max(0, Math.min(size - 1, (int) Math.ceil(size * percentile) - 1))] / 1e6;
    }
}
