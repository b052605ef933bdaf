package io.outpost.mailbox;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;

/**
 * Skips scheduled sweeps once shutdown has begun: the database and Kafka clients close while the scheduler still
 * fires, and a sweep then would only fail; the next instance sweeps what is left.
 */
@Singleton
public class ShuttingDown implements Scheduled.SkipPredicate {
    private volatile boolean shuttingDown;

    void onShutdown(@Observes ShutdownEvent event) {
        shuttingDown = true;
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return shuttingDown;
    }
}
