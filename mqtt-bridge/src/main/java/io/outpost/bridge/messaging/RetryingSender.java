package io.outpost.bridge.messaging;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Sends records that must not be lost to a failed send (delivery receipts): a record is sent again after every
 * failure, after a pause that doubles from {@code firstPause} up to {@code longestPause}, until Kafka acknowledges it.
 * <p>
 * Invariants: a record accepted by {@link #send} stays {@link #pending()} until Kafka acknowledged one of its sends, or
 * the sender was {@link #drain drained} and gave up; at most {@code maxPending} records are pending, and a record
 * beyond that bound is refused with an error log (the caller says what that costs). Retries may overtake younger
 * records, so each record must stand on its own (a receipt names its message). Thread-safe.
 */
public final class RetryingSender {
    private static final Logger LOG = Logger.getLogger(RetryingSender.class);
    /** Failures of one record logged at warn: the first, then every this many; the others at debug. */
    private static final int WARN_EVERY = 10;

    /** Sends one record; the callback gets null on acknowledgement, else the error. May also throw. */
    @FunctionalInterface
    public interface Transport {
        void send(ProducerRecord<String, byte[]> record, Callback callback);
    }

    /** Runs a task once after a pause, on a thread other than the caller's. */
    @FunctionalInterface
    public interface Pauses {
        void after(Duration pause, Runnable task);
    }

    private final String what;
    private final Transport transport;
    private final Pauses pauses;
    private final int maxPending;
    private final Duration firstPause;
    private final Duration longestPause;
    private final Set<Attempts> pending = ConcurrentHashMap.newKeySet();
    /** Notified whenever a record leaves {@link #pending}. */
    private final Object acknowledged = new Object();
    private volatile boolean draining;
    private volatile boolean stopped;

    /** @param what names the records in log lines, e.g. "receipt" */
    public RetryingSender(String what, Transport transport, Pauses pauses, int maxPending, Duration firstPause,
            Duration longestPause) {
        this.what = what;
        this.transport = transport;
        this.pauses = pauses;
        this.maxPending = maxPending;
        this.firstPause = firstPause;
        this.longestPause = longestPause;
    }

    /**
     * Sends the record until Kafka acknowledges it; false, with an error log, if {@code maxPending} records are pending
     * already or the sender has stopped.
     *
     * @param name names this record in log lines
     */
    public boolean send(String name, ProducerRecord<String, byte[]> record) {
        if (stopped) {
            LOG.errorf("%s %s not sent: the node is shutting down", what, name);
            return false;
        }
        if (pending.size() >= maxPending) {
            LOG.errorf("%s %s dropped: %d %ss already wait for Kafka, the configured maximum", what, name,
                    maxPending, what);
            return false;
        }
        Attempts attempts = new Attempts(name, record);
        pending.add(attempts);
        attempt(attempts);
        return true;
    }

    /** Records accepted and not yet acknowledged by Kafka. */
    public int pending() {
        return pending.size();
    }

    /**
     * For a clean shutdown: retries what waits for its pause at once, waits up to {@code limit} until nothing is
     * pending, then stops (later sends are refused, outstanding retries dropped). True if everything was acknowledged.
     */
    public boolean drain(Duration limit) throws InterruptedException {
        draining = true;
        pending.forEach(this::retryNowIfWaiting);
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (acknowledged) {
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                acknowledged.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        }
        stopped = true;
        int left = pending.size();
        if (left > 0) {
            LOG.errorf("%d %ss not acknowledged by Kafka within %d ms of shutdown: lost", left, what, limit.toMillis());
        }
        return left == 0;
    }

    private void attempt(Attempts attempts) {
        try {
            transport.send(attempts.record, (metadata, error) -> completed(attempts, error));
        } catch (RuntimeException e) {
            completed(attempts, e);
        }
    }

    private void completed(Attempts attempts, Exception error) {
        if (error == null) {
            pending.remove(attempts);
            synchronized (acknowledged) {
                acknowledged.notifyAll();
            }
            return;
        }
        int failures = ++attempts.failures;
        if (stopped) {
            pending.remove(attempts);
            LOG.errorf("%s %s lost: failed (%s) after shutdown", what, attempts.name, error.toString());
            return;
        }
        Duration pause = draining ? firstPause : pauseAfter(failures);
        if (failures % WARN_EVERY == 1) {
            LOG.warnf("%s %s not acknowledged by Kafka (failure %d: %s); retrying in %d ms", what, attempts.name,
                    failures, error.toString(), pause.toMillis());
        } else {
            LOG.debugf("%s %s failed again (%d): %s", what, attempts.name, failures, error.toString());
        }
        attempts.waiting.set(true);
        pauses.after(pause, () -> retryNowIfWaiting(attempts));
    }

    private void retryNowIfWaiting(Attempts attempts) {
        if (attempts.waiting.compareAndSet(true, false)) {
            attempt(attempts);
        }
    }

    /** {@code firstPause} doubled for every failure after the first, at most {@code longestPause}. */
    Duration pauseAfter(int failures) {
        Duration pause = firstPause;
        for (int i = 1; i < failures && pause.compareTo(longestPause) < 0; i++) {
            pause = pause.multipliedBy(2);
        }
        return pause.compareTo(longestPause) > 0 ? longestPause : pause;
    }

    /** One record and how its sends went; {@code waiting} while a retry is scheduled and not yet started. */
    private static final class Attempts {
        final String name;
        final ProducerRecord<String, byte[]> record;
        final AtomicBoolean waiting = new AtomicBoolean();
        /** Changed only by the callback of the one send in progress, so never concurrently. */
        volatile int failures;

        Attempts(String name, ProducerRecord<String, byte[]> record) {
            this.name = name;
            this.record = record;
        }
    }
}
