package io.outpost.messaging;

import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

/**
 * How a consumer applies one record (or one batch) whose offset is committed only after it returns: through a
 * {@linkplain DatabaseOutages database outage} it tries again without limit, pausing longer each time up to
 * {@value #LONGEST_PAUSE_MILLIS} ms, so nothing is skipped however long the outage lasts and the consumer resumes by
 * itself when the database is back; any other failure is tried {@value #ATTEMPTS} times and then given up, so one bad
 * record never stops a channel. Once the application stops, a failure is rethrown at once: the offset stays
 * uncommitted and the next instance applies the record.
 */
public final class RecordRetries {
    private static final Logger LOG = Logger.getLogger(RecordRetries.class);
    public static final int ATTEMPTS = 5;
    private static final long FIRST_PAUSE_MILLIS = 100;
    static final long LONGEST_PAUSE_MILLIS = 5_000;

    private RecordRetries() {
    }

    /**
     * Runs {@code work} until it succeeds (true) or failed {@value #ATTEMPTS} times for a reason other than an outage
     * (false, logged).
     *
     * @param what     the record, for the log
     * @param stopping whether the application has begun to stop
     */
    public static boolean apply(String what, Runnable work, BooleanSupplier stopping) {
        return apply(what, work, stopping, FIRST_PAUSE_MILLIS);
    }

    static boolean apply(String what, Runnable work, BooleanSupplier stopping, long firstPauseMillis) {
        long pause = firstPauseMillis;
        int failures = 0;
        int outages = 0;
        while (true) {
            try {
                work.run();
                if (outages > 0) {
                    LOG.infof("applied %s after the database came back (%d attempts failed)", what, outages);
                }
                return true;
            } catch (RuntimeException e) {
                if (stopping.getAsBoolean()) {
                    throw e;
                }
                if (DatabaseOutages.isOutage(e)) {
                    if (outages++ == 0) {
                        LOG.warnf("the database is unavailable; retrying %s until it is back: %s", what, e.toString());
                    }
                } else if (++failures == ATTEMPTS) {
                    LOG.errorf(e, "gave up %s after %d attempts", what, ATTEMPTS);
                    return false;
                } else {
                    LOG.debugf("applying %s failed (attempt %d), retrying: %s", what, failures, e.toString());
                }
                pause(pause, e);
                pause = Math.min(pause * 2, LONGEST_PAUSE_MILLIS);
            }
        }
    }

    private static void pause(long millis, RuntimeException failure) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            // Interrupted while stopping: rethrow so the record stays uncommitted instead of being skipped.
            Thread.currentThread().interrupt();
            throw failure;
        }
    }
}
