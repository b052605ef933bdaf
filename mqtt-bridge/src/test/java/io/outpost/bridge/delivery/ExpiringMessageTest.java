package io.outpost.bridge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.outpost.contracts.MessageKind;
import io.outpost.contracts.OutboundMessage;

class ExpiringMessageTest {
    /** The bridge's wall clock and monotonic clock when it reads the record. */
    private static final Instant READ_AT = Instant.parse("2026-11-30T12:00:00Z");
    private static final long READ_AT_NANOS = 5_000_000_000L;

    @Test
    void ownerWhoseClockRunsAnHourBehindGetsTheTimeItGaveCountedFromTheRead() {
        Instant ownerNow = READ_AT.minus(Duration.ofHours(1));

        ExpiringMessage message = read(ownerNow.plusSeconds(30), ownerNow.toEpochMilli());

        assertFalse(message.expired(READ_AT_NANOS + seconds(29.9)));
        assertTrue(message.expired(READ_AT_NANOS + seconds(30)));
        assertEquals(30, message.remainingSeconds(READ_AT_NANOS));
        assertEquals(1, message.remainingSeconds(READ_AT_NANOS + seconds(29.5)));
    }

    @Test
    void ownerWhoseClockRunsAheadCannotStretchTheTimeItGave() {
        Instant ownerNow = READ_AT.plus(Duration.ofMinutes(30));

        ExpiringMessage message = read(ownerNow.plusSeconds(1), ownerNow.toEpochMilli());

        assertTrue(message.expired(READ_AT_NANOS + seconds(1)));
    }

    @Test
    void recordWithoutTimestampIsJudgedByTheBridgesClock() {
        ExpiringMessage message = read(READ_AT.plusSeconds(10), -1);

        assertFalse(message.expired(READ_AT_NANOS + seconds(9.9)));
        assertTrue(message.expired(READ_AT_NANOS + seconds(10)));
    }

    @Test
    void messageAlreadyExpiredByTheOwnersClockWhenSentIsExpiredAtOnce() {
        Instant ownerNow = READ_AT.minus(Duration.ofHours(1));

        ExpiringMessage message = read(ownerNow.minusSeconds(1), ownerNow.toEpochMilli());

        assertTrue(message.expired(READ_AT_NANOS));
    }

    private static ExpiringMessage read(Instant expiresAt, long createTimeMillis) {
        OutboundMessage message = new OutboundMessage("m-1", "t", "d", MessageKind.COMMAND, "commands/request/c/x",
                null, expiresAt, "text/plain", new byte[0]);
        return ExpiringMessage.read(message, createTimeMillis, READ_AT.toEpochMilli(), READ_AT_NANOS);
    }

    private static long seconds(double seconds) {
        return (long) (seconds * 1e9);
    }
}
