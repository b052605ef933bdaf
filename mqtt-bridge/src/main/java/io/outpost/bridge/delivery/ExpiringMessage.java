package io.outpost.bridge.delivery;

import java.time.Instant;

import io.outpost.contracts.OutboundMessage;
import io.outpost.messaging.TraceContext;

/**
 * An outbound message with the moment, on this node's monotonic clock, after which it must never be delivered
 * ({@link LocalDeadline}: the owner's clock decides expiry).
 *
 * @param group       the group the message is for while the device is a member, re-checked right before it is sent
 *                    (a group message, or a member's copy of one); null for a message for its device alone, or for
 *                    the fleet
 * @param incarnation the incarnation of the device it is for (the registry's createdAt); null when the owner did not
 *                    say: then any incarnation may get it
 * @param trace       the trace context its record carried, for the span of its delivery ({@link DeliveryTracing});
 *                    null when tracing is off or it came without one
 */
public record ExpiringMessage(OutboundMessage message, long deadlineNanos, String group, Instant incarnation,
        TraceContext trace) {

    /**
     * @param createTimeMillis the record's timestamp: its CreateTime, set by the owner's clock; 0 or less if none
     * @param readAtMillis     this node's wall clock when it read the record
     * @param readAtNanos      this node's {@link System#nanoTime()} at the same moment
     */
    public static ExpiringMessage read(OutboundMessage message, long createTimeMillis, long readAtMillis,
            long readAtNanos) {
        return new ExpiringMessage(message,
                LocalDeadline.of(message.expiresAt(), createTimeMillis, readAtMillis, readAtNanos), null, null, null);
    }

    /** A message read now by the bridge's clocks. */
    public static ExpiringMessage readNow(OutboundMessage message, long createTimeMillis) {
        return new ExpiringMessage(message, LocalDeadline.readNow(message.expiresAt(), createTimeMillis), null, null,
                null);
    }

    /** The same message for the members of {@code group} only. */
    public ExpiringMessage forGroup(String group) {
        return new ExpiringMessage(message, deadlineNanos, group, incarnation, trace);
    }

    /** The same message for this incarnation of its device only. */
    public ExpiringMessage forIncarnation(Instant deviceIncarnation) {
        return new ExpiringMessage(message, deadlineNanos, group, deviceIncarnation, trace);
    }

    /** The same message with the trace context its record carried (null: none). */
    public ExpiringMessage withTrace(TraceContext traceContext) {
        return new ExpiringMessage(message, deadlineNanos, group, incarnation, traceContext);
    }

    /** False only when both it and the session name an incarnation and they differ: a device created again. */
    public boolean forIncarnationOf(Instant sessionIncarnation) {
        return incarnation == null || sessionIncarnation == null || incarnation.equals(sessionIncarnation);
    }

    /** The copy one member of a group or fleet gets: addressed to that device, same id, payload and deadline. */
    public ExpiringMessage forMember(String device) {
        OutboundMessage m = message;
        return new ExpiringMessage(new OutboundMessage(m.id(), m.tenant(), device, m.kind(), m.mqttTopic(),
                m.createdAt(), m.expiresAt(), m.contentType(), m.payload()), deadlineNanos, group, incarnation, trace);
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
