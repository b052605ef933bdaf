package io.outpost.notification.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.outpost.contracts.NotificationEventType;
import io.outpost.mailbox.Clock;
import io.outpost.mailbox.Jobs;
import io.outpost.mailbox.Mailbox;
import io.outpost.mailbox.MailboxConfig;
import io.outpost.mailbox.Outbox;
import io.outpost.notification.Notification;
import io.outpost.notification.NotificationState;
import io.outpost.notification.config.NotificationConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * Ends what time ends. Group and fleet notifications past their expiry (plus the mailbox's grace, so a receipt in
 * flight still counts) become EXPIRED here; a device notification becomes EXPIRED with its mailbox message. Nothing
 * is published once expired, whether or not this has run: every copy carries the expiry. Notifications past their
 * retention are deleted with their deliveries (and a device notification's mailbox message).
 */
@ApplicationScoped
public class NotificationExpiry {
    private static final Logger LOG = Logger.getLogger(NotificationExpiry.class);
    private static final int BATCH = 100;

    @Inject
    Jobs jobs;
    @Inject
    NotificationConfig config;
    @Inject
    MailboxConfig mailboxConfig;
    @Inject
    EntityManager entityManager;
    @Inject
    Outbox outbox;
    @Inject
    Mailbox mailbox;
    @Inject
    NotificationRecords records;

    void start(@Observes StartupEvent start) {
        jobs.every("notification-expiry", config.expirySweepInterval(), this::expireDue);
        jobs.every("notification-retention", config.retentionSweepInterval(), this::deleteOld);
    }

    /** ACTIVE -> EXPIRED, with how many addressed members did not get it; the caller holds the row's lock. */
    static void expire(Notification notification, Instant at, Outbox outbox, NotificationRecords records) {
        notification.state = NotificationState.EXPIRED;
        notification.stateAt = at;
        notification.stateReason = "its ttl ended";
        notification.expired = Math.max(0,
                notification.addressed - notification.delivered - notification.undeliverable);
        outbox.appendAll(List.of(records.event(notification, NotificationEventType.EXPIRED, at,
                notification.stateReason)));
    }

    @SuppressWarnings("unchecked")
    void expireDue() {
        int expired;
        do {
            expired = QuarkusTransaction.requiringNew().call(() -> {
                Instant now = Clock.now();
                List<Notification> due = entityManager.createNativeQuery("select * from notification"
                        + " where state = 'ACTIVE' and audience <> 'DEVICE' and expires_at < ?1"
                        + " order by expires_at limit " + BATCH + " for update skip locked", Notification.class)
                        .setParameter(1, now.minus(mailboxConfig.expiryGrace())).getResultList();
                due.forEach(notification -> expire(notification, now, outbox, records));
                return due.size();
            });
            if (expired > 0) {
                LOG.debugf("%d notifications expired", expired);
            }
        } while (expired == BATCH);
    }

    @SuppressWarnings("unchecked")
    void deleteOld() {
        QuarkusTransaction.requiringNew().run(() -> {
            List<Object[]> old = entityManager.createNativeQuery("select id, audience from notification"
                    + " where expires_at < ?1 limit 1000 for update skip locked")
                    .setParameter(1, Clock.now().minus(config.retention())).getResultList();
            if (old.isEmpty()) {
                return;
            }
            mailbox.delete(old.stream().filter(row -> "DEVICE".equals(row[1])).map(row -> (String) row[0]).toList());
            entityManager.createNativeQuery("delete from notification where id in (?1)")
                    .setParameter(1, old.stream().map(row -> (String) row[0]).toList()).executeUpdate();
        });
    }
}
