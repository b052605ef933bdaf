package io.outpost.telemetry.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * {@code outpost_telemetry_ingest_lag_seconds}: for every stored reading, the time from the bridge receiving it
 * ({@link Reading#receivedAt()}, the record's {@code ce_time}) to its batch being committed in PostgreSQL, as a
 * histogram (1 ms to 10 min), so percentiles can be taken over every instance. A reading stamped in the future (a
 * bridge clock ahead of this one) counts as no lag.
 */
final class IngestLag {
    private final Timer lag;

    IngestLag(MeterRegistry metrics) {
        lag = Timer.builder("outpost.telemetry.ingest.lag")
                .description("Time from the bridge receiving a reading to its being stored")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(metrics);
    }

    void stored(List<Reading> readings, Instant storedAt) {
        for (Reading reading : readings) {
            Duration behind = Duration.between(reading.receivedAt(), storedAt);
            lag.record(behind.isNegative() ? Duration.ZERO : behind);
        }
    }
}
