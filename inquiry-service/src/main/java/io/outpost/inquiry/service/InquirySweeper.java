package io.outpost.inquiry.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.outpost.inquiry.EarlyAnswer;
import io.outpost.inquiry.HandlerKind;
import io.outpost.inquiry.Inquiry;
import io.outpost.inquiry.InquiryHandler;
import io.outpost.inquiry.config.InquiryConfig;
import io.outpost.mailbox.Clock;
import io.outpost.mailbox.Jobs;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * What time does to inquiries, on whichever node gets there first: webhook calls whose node died before applying the
 * response are made again, inquiries past their lifetime end EXPIRED, and inquiries ended longer ago than the retention
 * are deleted, with Kafka answers that waited in vain for their inquiry.
 */
@ApplicationScoped
public class InquirySweeper {
    private static final Logger LOG = Logger.getLogger(InquirySweeper.class);
    private static final int BATCH = 100;

    @Inject
    Jobs jobs;
    @Inject
    InquiryConfig config;
    @Inject
    EntityManager entityManager;
    @Inject
    InquiryLifecycle lifecycle;
    @Inject
    WebhookBodies webhooks;
    @Inject
    WebhookDispatcher dispatcher;

    void start(@Observes StartupEvent start) {
        jobs.every("inquiry-dispatch", config.sweepInterval(), this::redispatchDue);
        jobs.every("inquiry-expiry", config.sweepInterval(), this::expireDue);
        jobs.every("inquiry-retention", config.sweepInterval().multipliedBy(60), this::deleteOld);
    }

    /** Claims due calls (due again a lease later, so another node does not take them too), then makes them. */
    @SuppressWarnings("unchecked")
    void redispatchDue() {
        List<WebhookCall> calls = QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Clock.now();
            List<Inquiry> due = entityManager.createNativeQuery("select * from inquiry where dispatch_due_at < ?1"
                    + " and state in ('OPEN', 'STREAMING') order by dispatch_due_at limit " + BATCH
                    + " for update skip locked", Inquiry.class).setParameter(1, now).getResultList();
            List<WebhookCall> claimed = new ArrayList<>();
            for (Inquiry inquiry : due) {
                InquiryHandler handler = InquiryHandler.find(inquiry.tenantId, inquiry.name);
                if (handler == null || handler.kind != HandlerKind.WEBHOOK) {
                    inquiry.dispatchDueAt = null;
                    continue;
                }
                inquiry.dispatchDueAt = now.plus(handler.timeout()).plus(InquiryIntake.DISPATCH_LEASE);
                claimed.add(webhooks.opened(inquiry, handler));
            }
            return claimed;
        });
        if (!calls.isEmpty()) {
            LOG.infof("calling %d webhooks again whose earlier call was not applied", calls.size());
        }
        calls.forEach(dispatcher::dispatch);
    }

    /** Ends live inquiries past their lifetime, one transaction each (the device's lock comes before the row's). */
    @SuppressWarnings("unchecked")
    void expireDue() {
        List<String> due = QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                "select id from inquiry where state in ('OPEN', 'STREAMING') and expires_at < ?1 order by expires_at"
                        + " limit " + BATCH).setParameter(1, Clock.now()).getResultList());
        for (String id : due) {
            QuarkusTransaction.requiringNew().run(() -> {
                Inquiry found = Inquiry.findById(id);
                if (found == null) {
                    return;
                }
                Inquiry inquiry = lifecycle.lock(found);
                Instant now = Clock.now();
                if (inquiry.state.live() && inquiry.expiresAt.isBefore(now)) {
                    lifecycle.expire(inquiry, now);
                }
            });
        }
    }

    void deleteOld() {
        int deleted = QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                "delete from inquiry where id in (select id from inquiry where state not in ('OPEN', 'STREAMING')"
                        + " and state_at < ?1 limit 1000)").setParameter(1, Clock.now().minus(config.retention()))
                .executeUpdate());
        if (deleted > 0) {
            LOG.debugf("%d old inquiries deleted", deleted);
        }
        long stray = QuarkusTransaction.requiringNew().call(() -> EarlyAnswer.delete("receivedAt < ?1",
                Clock.now().minus(config.earlyAnswerRetention())));
        if (stray > 0) {
            LOG.warnf("%d Kafka answers dropped: no inquiry with their request id opened within %s", stray,
                    config.earlyAnswerRetention());
        }
    }
}
