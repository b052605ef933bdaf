package io.outpost.load;

import java.util.Locale;

/** Progress lines on standard error, each with the seconds since the tool started. */
final class Progress {
    private final long started = System.nanoTime();

    void log(String format, Object... arguments) {
        System.err.printf(Locale.ROOT, "[%6.1f s] %s%n", seconds(), String.format(Locale.ROOT, format, arguments));
    }

    /** Seconds since the tool started. */
    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }
}
