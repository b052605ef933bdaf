package io.outpost.mailbox;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;

/**
 * Skips scheduled sweeps once shutdown has begun: the database and Kafka clients close while the scheduler still
 * fires, and a sweep then would only fail; the next instance sweeps what is left. {@link Retries} asks it too: a record
 * that fails while the application stops is not skipped but left for the next instance.
 */
@Singleton
public class ShuttingDown implements Scheduled.SkipPredicate {
    private static volatile boolean begun;

    void onShutdown(@Observes ShutdownEvent event) {
        begun = true;
    }

    /** Whether this application has begun to stop. */
    public static boolean begun() {
        return begun;
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return begun;
    }
}
