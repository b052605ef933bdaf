package io.outpost.telemetry.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class IngestLagTest {
    private static final Instant STORED_AT = Instant.parse("2026-12-02T10:00:10Z");

    @Test
    void eachStoredReadingRecordsTheTimeSinceTheBridgeReceivedIt() {
        // given a registry with the lag timer
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestLag lag = new IngestLag(registry);
        // when a batch with readings received 3 s and 1 s before it was stored is stored
        lag.stored(List.of(reading(STORED_AT.minusSeconds(3)), reading(STORED_AT.minusSeconds(1))), STORED_AT);
        // then both are counted, 4 s in all, at most 3 s
        Timer timer = registry.get("outpost.telemetry.ingest.lag").timer();
        assertEquals(2, timer.count());
        assertEquals(4.0, timer.totalTime(TimeUnit.SECONDS), 1e-9);
        assertEquals(3.0, timer.max(TimeUnit.SECONDS), 1e-9);
    }

    @Test
    void aReadingStampedAfterItWasStoredCountsAsNoLag() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestLag lag = new IngestLag(registry);
        // a bridge whose clock runs 5 s ahead
        lag.stored(List.of(reading(STORED_AT.plusSeconds(5))), STORED_AT);
        Timer timer = registry.get("outpost.telemetry.ingest.lag").timer();
        assertEquals(1, timer.count());
        assertEquals(0.0, timer.totalTime(TimeUnit.SECONDS), 1e-9);
    }

    private static Reading reading(Instant receivedAt) {
        return new Reading("acme", "meter", "", receivedAt, 0, 0, "id", "application/json", "{}", null, null);
    }
}
