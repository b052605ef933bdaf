package io.outpost.registry.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.registry.OutboxEntry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/** Exposes how far the registry topic lags behind the database: entries committed but not yet relayed. */
@ApplicationScoped
public class OutboxMetrics {
    @Inject
    MeterRegistry registry;

    void register(@Observes StartupEvent start) {
        Gauge.builder("outpost.registry.outbox.pending", this, OutboxMetrics::pending)
                .description("Registry changes committed but not yet acknowledged by Kafka")
                .register(registry);
    }

    double pending() {
        return QuarkusTransaction.requiringNew().call(() -> OutboxEntry.count());
    }
}
