package io.outpost.command;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** Waits for a condition in tests, polling briefly; fails the test if it does not hold in time. */
final class Await {
    static final Duration DEFAULT = Duration.ofSeconds(15);

    private Await() {
    }

    static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT, condition);
    }

    static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            pause(25);
        }
    }

    /** Polls {@code value} for {@code during}; fails as soon as it differs from {@code expected}. */
    static void staysAt(String what, int expected, Duration during, IntSupplier value) {
        long deadline = System.nanoTime() + during.toNanos();
        do {
            int now = value.getAsInt();
            if (now != expected) {
                throw new AssertionError(what + ": " + now + ", expected to stay " + expected);
            }
            pause(25);
        } while (System.nanoTime() < deadline);
    }

    /** Polls {@code value} until it equals {@code expected}; returns the last value. */
    static <T> T value(String what, T expected, Supplier<T> value) {
        Object[] last = new Object[1];
        try {
            until(what + " = " + expected, () -> expected.equals(last[0] = value.get()));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (last: " + last[0] + ")");
        }
        @SuppressWarnings("unchecked")
        T result = (T) last[0];
        return result;
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
