package io.outpost.mailbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.messaging.RecordRetries;

/**
 * How the mailbox's consumers and its owners apply one record ({@link RecordRetries}: through a database outage
 * without limit, any other failure a few times): a record that is given up is counted in
 * {@code outpost_mailbox_records_skipped_total{topic}} and skipped. The offset is committed only after this returns.
 */
public final class Retries {

    private Retries() {
    }

    /** Runs {@code work} until it succeeds (true) or is given up (false). */
    public static boolean apply(MeterRegistry metrics, String topic, String what, Runnable work) {
        if (RecordRetries.apply(what + " from " + topic, work, ShuttingDown::begun)) {
            return true;
        }
        metrics.counter("outpost.mailbox.records.skipped", "topic", topic).increment();
        return false;
    }
}
