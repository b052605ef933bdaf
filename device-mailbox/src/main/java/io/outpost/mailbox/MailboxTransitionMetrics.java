package io.outpost.mailbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code outpost_mailbox_transitions_total{tenant,kind,state}}: messages that left PENDING, by the state they reached
 * (DELIVERED, EXPIRED, CANCELLED, UNDELIVERABLE), counted after the commit, so a rolled-back move counts nothing.
 */
@ApplicationScoped
public class MailboxTransitionMetrics {
    @Inject
    MeterRegistry registry;

    void counted(@Observes(during = TransactionPhase.AFTER_SUCCESS) MailboxTransition transition) {
        registry.counter("outpost.mailbox.transitions", "tenant", transition.tenant(), "kind",
                transition.kind().name(), "state", transition.to().name()).increment();
    }
}
