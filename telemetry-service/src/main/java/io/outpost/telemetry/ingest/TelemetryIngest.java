package io.outpost.telemetry.ingest;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.messaging.RecordRetries;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Consumes {@code outpost.telemetry.v1} in batches (consumer group {@code telemetry-service}) and returns only once a
 * batch is committed in PostgreSQL: the connector commits the offsets after that, so a crash re-reads at most the
 * uncommitted batches, which the store skips (same partition, offset and time). Through a database outage a batch is
 * retried until the database is back ({@link RecordRetries}); one that fails otherwise a few times fails the channel:
 * liveness goes down, nothing is committed, and the restart resumes where it was. Each stored reading's lag behind
 * the bridge is measured ({@link IngestLag}).
 */
@ApplicationScoped
@Startup
public class TelemetryIngest {
    @Inject
    ReadingStore store;
    @Inject
    MeterRegistry metrics;

    private volatile boolean stopping;
    private IngestLag lag;

    /** Registered at start ({@link Startup}): dashboards and rates see 0 before the first reading, not no series. */
    @PostConstruct
    void registerMeters() {
        metrics.counter("outpost_telemetry_stored_readings_total");
        metrics.counter("outpost_telemetry_skipped_records_total");
        lag = new IngestLag(metrics);
    }

    void onStop(@Observes ShutdownEvent stop) {
        stopping = true;
    }

    @Incoming("telemetry")
    @Blocking(ordered = true)
    public void ingest(ConsumerRecords<String, byte[]> records) {
        List<Reading> readings = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            Readings.of(record).ifPresentOrElse(readings::add,
                    () -> metrics.counter("outpost_telemetry_skipped_records_total").increment());
        }
        String what = "a batch of " + readings.size() + " readings";
        if (!RecordRetries.apply(what, () -> store(readings), () -> stopping)) {
            throw new IllegalStateException("storing " + what + " failed " + RecordRetries.ATTEMPTS
                    + " times; the channel stops and the batch is read again after a restart");
        }
        metrics.counter("outpost_telemetry_stored_readings_total").increment(readings.size());
        lag.stored(readings, Instant.now());
    }

    private void store(List<Reading> readings) {
        try {
            store.store(readings);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
