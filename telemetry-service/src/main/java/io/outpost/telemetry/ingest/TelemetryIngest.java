package io.outpost.telemetry.ingest;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Consumes {@code outpost.telemetry.v1} in batches (consumer group {@code telemetry-service}) and returns only once a
 * batch is committed in PostgreSQL: the connector commits the offsets after that, so a crash re-reads at most the
 * uncommitted batches, which the store skips (same partition, offset and time). A batch that cannot be stored after
 * a few tries fails the channel: readiness goes down, nothing is committed, and a restart resumes where it was.
 */
@ApplicationScoped
public class TelemetryIngest {
    private static final Logger LOG = Logger.getLogger(TelemetryIngest.class);
    private static final int ATTEMPTS = 5;

    @Inject
    ReadingStore store;
    @Inject
    MeterRegistry metrics;

    @Incoming("telemetry")
    @Blocking(ordered = true)
    public void ingest(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        List<Reading> readings = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            Readings.of(record).ifPresentOrElse(readings::add,
                    () -> metrics.counter("outpost_telemetry_skipped_records_total").increment());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                store.store(readings);
                metrics.counter("outpost_telemetry_stored_readings_total").increment(readings.size());
                return;
            } catch (SQLException e) {
                if (attempt == ATTEMPTS) {
                    throw new IllegalStateException("storing " + readings.size() + " readings failed " + ATTEMPTS
                            + " times; the channel stops and the batch is read again after a restart", e);
                }
                LOG.warnf("storing %d readings failed (attempt %d), retrying: %s", readings.size(), attempt,
                        e.getMessage());
                Thread.sleep(200L * attempt);
            }
        }
    }
}
