package io.outpost.bridge.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * Turns an owner's {@code expires-at} into a moment on this node's monotonic clock ({@link System#nanoTime()}). The
 * owner's clock decides expiry, not the bridge's: the owner set both {@code expiresAt} and the record's CreateTime (its
 * outbox relay's producer stamps it), so their difference is the time the message had left when the owner sent it,
 * whatever the skew between the two clocks. That time counts from when this node read the record:
 * <pre>localDeadline = readAt + (expiresAt - createTime)</pre>
 * A record without a usable timestamp (0 or less) falls back to comparing {@code expiresAt} with this node's clock.
 * The outbound topic must keep CreateTime (Kafka's default): with LogAppendTime the broker's clock stands in for the
 * owner's. The deadline is late by however long the record waited in Kafka before this node read it (nodes read from
 * the end, so normally milliseconds).
 */
public final class LocalDeadline {
    /** Far beyond any owner's limit (7 days), and far from overflowing a nano time. */
    private static final long LONGEST_MILLIS = Duration.ofDays(365).toMillis();

    private LocalDeadline() {
    }

    /**
     * @param createTimeMillis the record's timestamp: its CreateTime, set by the owner's clock; 0 or less if none
     * @param readAtMillis     this node's wall clock when it read the record
     * @param readAtNanos      this node's {@link System#nanoTime()} at the same moment
     */
    public static long of(Instant expiresAt, long createTimeMillis, long readAtMillis, long readAtNanos) {
        long expiresAtMillis = expiresAt.toEpochMilli();
        long remainingMillis = createTimeMillis > 0 ? expiresAtMillis - createTimeMillis
                : expiresAtMillis - readAtMillis;
        long bounded = Math.max(-LONGEST_MILLIS, Math.min(LONGEST_MILLIS, remainingMillis));
        return readAtNanos + bounded * 1_000_000;
    }

    /** The deadline of a record read now by this node's clocks. */
    public static long readNow(Instant expiresAt, long createTimeMillis) {
        return of(expiresAt, createTimeMillis, System.currentTimeMillis(), System.nanoTime());
    }
}
