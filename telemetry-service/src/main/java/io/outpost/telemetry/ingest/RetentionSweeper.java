package io.outpost.telemetry.ingest;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.outpost.telemetry.TelemetryConfig;
import io.quarkus.scheduler.Scheduled;

/**
 * Drops every daily partition that ended before the longest retention of any tenant. Tenants with a shorter retention
 * never see older readings (queries start at their retention), and those rows go with their partition.
 */
@ApplicationScoped
public class RetentionSweeper {
    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class);

    @Inject
    Partitions partitions;
    @Inject
    TelemetryConfig config;

    @Scheduled(every = "${outpost.telemetry.retention-sweep-interval:1h}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            dropBefore(Partitions.dayOf(Instant.now().minus(config.longestRetention())));
        } catch (SQLException e) {
            LOG.warnf("retention sweep failed, retrying on the next run: %s", e.getMessage());
        }
    }

    /** Drops the partitions of the days before {@code firstKept}; returns how many. */
    public int dropBefore(LocalDate firstKept) throws SQLException {
        int dropped = 0;
        for (LocalDate day : partitions.existing()) {
            if (day.isBefore(firstKept)) {
                partitions.drop(day);
                LOG.infof("dropped the telemetry of %s (retention)", day);
                dropped++;
            }
        }
        return dropped;
    }
}
