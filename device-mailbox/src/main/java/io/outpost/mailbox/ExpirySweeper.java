package io.outpost.mailbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Marks pending messages whose expiry (plus {@link MailboxConfig#expiryGrace()}) has passed EXPIRED, in batches.
 * Every instance sweeps; {@code FOR UPDATE SKIP LOCKED} hands each row to one of them. The relay and the bridge never
 * deliver an expired message whether or not the sweeper has run yet: the sweeper only records the final state.
 */
@ApplicationScoped
public class ExpirySweeper {
    private static final Logger LOG = Logger.getLogger(ExpirySweeper.class);
    private static final int BATCH = 500;

    @Inject
    Mailbox mailbox;
    @Inject
    MailboxConfig config;
    @Inject
    Jobs jobs;

    void start(@Observes StartupEvent start) {
        jobs.every("mailbox-expiry-sweep", config.sweepInterval(), this::sweep);
    }

    void sweep() {
        try {
            int expired;
            do {
                expired = mailbox.expireDue(BATCH);
                if (expired > 0) {
                    LOG.debugf("expired %d pending messages", expired);
                }
            } while (expired == BATCH);
        } catch (RuntimeException e) {
            LOG.warnf("expiry sweep failed, retrying on the next run: %s", e.toString());
        }
    }
}
