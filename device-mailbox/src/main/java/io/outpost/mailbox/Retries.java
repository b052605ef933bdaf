package io.outpost.mailbox;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * How consumers apply one record: a failure (typically the database being briefly unreachable, or two instances
 * racing on the same row) is retried with a growing pause; a record that still fails is logged, counted in
 * {@code outpost_mailbox_records_skipped_total{topic}} and skipped, so one bad record never stops a channel. The offset
 * is committed only after this returns. Once the application has begun to stop, a failure is rethrown at once: the
 * record is not skipped, its offset stays uncommitted, and the next instance applies it.
 */
public final class Retries {
    private static final Logger LOG = Logger.getLogger(Retries.class);
    static final int ATTEMPTS = 5;
    private static final long FIRST_PAUSE_MILLIS = 100;

    private Retries() {
    }

    /** Runs {@code work} until it succeeds or {@link #ATTEMPTS} attempts failed; true if it succeeded. */
    public static boolean apply(MeterRegistry metrics, String topic, String what, Runnable work) {
        long pause = FIRST_PAUSE_MILLIS;
        for (int attempt = 1;; attempt++) {
            try {
                work.run();
                return true;
            } catch (RuntimeException e) {
                if (ShuttingDown.begun()) {
                    // The clients are closing: failing here keeps the offset uncommitted, and the next instance
                    // applies the record; skipping it would lose it.
                    throw e;
                }
                if (attempt == ATTEMPTS) {
                    LOG.errorf(e, "skipped %s from %s after %d attempts", what, topic, ATTEMPTS);
                    metrics.counter("outpost.mailbox.records.skipped", "topic", topic).increment();
                    return false;
                }
                LOG.debugf("applying %s failed (attempt %d), retrying: %s", what, attempt, e.toString());
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                pause *= 2;
            }
        }
    }
}
