package io.outpost.bridge.delivery;

import java.time.Duration;

import io.outpost.contracts.OutboundMessage;

/**
 * An outbound message with the moment, on this node's monotonic clock ({@link System#nanoTime()}), after which it must
 * never be delivered. The owner's clock decides expiry, not the bridge's: the owner set both {@code expiresAt} and the
 * record's CreateTime (its outbox relay's producer stamps it), so their difference is the time the message had left
 * when the owner sent it, whatever the skew between the two clocks. That time counts from when this node read the
 * record:
 * <pre>localDeadline = readAt + (expiresAt - createTime)</pre>
 * A record without a usable timestamp (0 or less) falls back to comparing {@code expiresAt} with this node's clock.
 * The outbound topic must keep CreateTime (Kafka's default): with LogAppendTime the broker's clock stands in for the
 * owner's. The deadline is late by however long the record waited in Kafka before this node read it (nodes read from the end,
 * so normally milliseconds).
 */
public record ExpiringMessage(OutboundMessage message, long deadlineNanos) {
    /** Far beyond any owner's limit (7 days), and far from overflowing a nano time. */
    private static final long LONGEST_MILLIS = Duration.ofDays(365).toMillis();

    /**
     * @param createTimeMillis the record's timestamp: its CreateTime, set by the owner's clock; 0 or less if none
     * @param readAtMillis     this node's wall clock when it read the record
     * @param readAtNanos      this node's {@link System#nanoTime()} at the same moment
     */
    public static ExpiringMessage read(OutboundMessage message, long createTimeMillis, long readAtMillis,
            long readAtNanos) {
        long expiresAtMillis = message.expiresAt().toEpochMilli();
        long remainingMillis = createTimeMillis > 0 ? expiresAtMillis - createTimeMillis
                : expiresAtMillis - readAtMillis;
        long bounded = Math.max(-LONGEST_MILLIS, Math.min(LONGEST_MILLIS, remainingMillis));
        return new ExpiringMessage(message, readAtNanos + bounded * 1_000_000);
    }

    /** A message read now by the bridge's clocks. */
    public static ExpiringMessage readNow(OutboundMessage message, long createTimeMillis) {
        return read(message, createTimeMillis, System.currentTimeMillis(), System.nanoTime());
    }

    /** True from the local deadline on: the message must not be sent any more. */
    public boolean expired(long nowNanos) {
        return nowNanos - deadlineNanos >= 0;
    }

    /** Whole seconds left until the local deadline, rounded up, at least 1 (for the MQTT 5 message expiry interval). */
    public long remainingSeconds(long nowNanos) {
        long remainingNanos = deadlineNanos - nowNanos;
        return Math.max(1, (remainingNanos + 999_999_999) / 1_000_000_000);
    }

    public String id() {
        return message.id();
    }
}
