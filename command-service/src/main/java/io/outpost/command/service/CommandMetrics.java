package io.outpost.command.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.command.CommandAccepted;
import io.outpost.command.CommandFinished;

/**
 * Counters, incremented after the commit (a rolled-back command counts nothing):
 * {@code outpost_commands_accepted_total{tenant}} and {@code outpost_commands_finished_total{tenant,state}}.
 */
@ApplicationScoped
public class CommandMetrics {
    @Inject
    MeterRegistry registry;

    void accepted(@Observes(during = TransactionPhase.AFTER_SUCCESS) CommandAccepted accepted) {
        registry.counter("outpost.commands.accepted", "tenant", accepted.tenant()).increment();
    }

    void finished(@Observes(during = TransactionPhase.AFTER_SUCCESS) CommandFinished finished) {
        registry.counter("outpost.commands.finished", "tenant", finished.tenant(), "state", finished.state().name())
                .increment();
    }
}
