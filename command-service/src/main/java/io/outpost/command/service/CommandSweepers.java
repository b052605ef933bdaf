package io.outpost.command.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.outpost.mailbox.ShuttingDown;
import io.quarkus.scheduler.Scheduled;

/**
 * The command's own clocks, on every instance ({@code FOR UPDATE SKIP LOCKED} hands each row to one): DELIVERED
 * commands past their reply deadline become TIMED_OUT; commands final for longer than the retention are deleted.
 * Expiry of PENDING commands is the mailbox's sweeper.
 */
@ApplicationScoped
public class CommandSweepers {
    private static final Logger LOG = Logger.getLogger(CommandSweepers.class);
    private static final int BATCH = 500;

    @Inject
    CommandService commands;

    @Scheduled(every = "${outpost.command.timeout-sweep-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = ShuttingDown.class)
    void timeOut() {
        try {
            while (commands.timeOutDue(BATCH) == BATCH) {
                LOG.debug("more commands past their reply deadline");
            }
        } catch (RuntimeException e) {
            LOG.warnf("reply-deadline sweep failed, retrying on the next run: %s", e.toString());
        }
    }

    @Scheduled(every = "${outpost.command.retention-sweep-interval:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = ShuttingDown.class)
    void purge() {
        try {
            int deleted;
            do {
                deleted = commands.purge(BATCH);
                if (deleted > 0) {
                    LOG.debugf("deleted %d commands past their retention", deleted);
                }
            } while (deleted == BATCH);
        } catch (RuntimeException e) {
            LOG.warnf("retention sweep failed, retrying on the next run: %s", e.toString());
        }
    }
}
