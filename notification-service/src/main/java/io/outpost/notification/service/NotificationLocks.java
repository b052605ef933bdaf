package io.outpost.notification.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Transaction-scoped advisory locks of the notification service. */
@ApplicationScoped
public class NotificationLocks {
    @Inject
    EntityManager entityManager;

    /** Serializes POSTs with the same Idempotency-Key of a tenant, so two concurrent retries create one notification. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void idempotencyKey(String tenant, String key) {
        entityManager.createNativeQuery("select 1 from (select pg_advisory_xact_lock(hashtextextended(?1, 7))) l")
                .setParameter(1, "notification-idempotency\n" + tenant + "\n" + key).getSingleResult();
    }
}
