package io.outpost.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class RecordRetriesTest {
    private static final RuntimeException OUTAGE = new IllegalStateException(new SQLException("refused", "08001"));
    private static final RuntimeException BAD_RECORD = new IllegalStateException(new SQLException("dup", "23505"));

    @Test
    void anOutageIsRetriedBeyondTheAttemptsUntilTheWorkSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        int outageCalls = RecordRetries.ATTEMPTS + 2;
        assertTrue(RecordRetries.apply("record", () -> {
            if (calls.incrementAndGet() <= outageCalls) {
                throw OUTAGE;
            }
        }, () -> false, 1));
        assertEquals(outageCalls + 1, calls.get());
    }

    @Test
    void anyOtherFailureIsGivenUpAfterTheAttempts() {
        AtomicInteger calls = new AtomicInteger();
        assertFalse(RecordRetries.apply("record", () -> {
            calls.incrementAndGet();
            throw BAD_RECORD;
        }, () -> false, 1));
        assertEquals(RecordRetries.ATTEMPTS, calls.get());
    }

    @Test
    void aFailureWhileStoppingIsRethrownSoTheRecordStaysUncommitted() {
        AtomicInteger calls = new AtomicInteger();
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> RecordRetries.apply("record", () -> {
            calls.incrementAndGet();
            throw OUTAGE;
        }, () -> true, 1));
        assertSame(OUTAGE, thrown);
        assertEquals(1, calls.get());
    }
}
