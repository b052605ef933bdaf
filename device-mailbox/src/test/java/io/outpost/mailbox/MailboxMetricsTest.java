package io.outpost.mailbox;

import static io.outpost.mailbox.Messages.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.contracts.MessageKind;
import io.outpost.contracts.OutboundMessage;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.outpost.testsupport.RegistryRecords;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The mailbox's metrics: transitions counted after their commit only, depth and the age of the oldest pending. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class MailboxMetricsTest {
    @Inject
    Mailbox mailbox;
    @Inject
    MailboxMetrics metrics;
    @Inject
    MeterRegistry registry;

    @Test
    void aCommittedTransitionIsCountedByTenantKindAndState() {
        // given a pending notification
        String tenant = RegistryRecords.newTenant();
        OutboundMessage message = message(tenant, "lamp", "on");
        QuarkusTransaction.requiringNew().run(() -> mailbox.store(message, null));
        // when its owner cancels it
        QuarkusTransaction.requiringNew().run(() -> mailbox.cancel(message.id(), Clock.now(), "test"));
        // then one cancellation of a notification is counted for the tenant, and nothing else
        assertEquals(1.0, transitions(tenant, "CANCELLED"));
        assertEquals(0.0, transitions(tenant, "DELIVERED"));
    }

    @Test
    void aRolledBackTransitionCountsNothing() {
        String tenant = RegistryRecords.newTenant();
        OutboundMessage message = message(tenant, "lamp", "off");
        QuarkusTransaction.requiringNew().run(() -> mailbox.store(message, null));
        // when the transaction that cancelled it fails and rolls back
        assertThrows(RuntimeException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            mailbox.cancel(message.id(), Clock.now(), "test");
            throw new IllegalStateException("the owner's own write failed");
        }));
        // then it is still pending and no cancellation is counted
        assertEquals(MailboxState.PENDING, QuarkusTransaction.requiringNew().call(() -> mailbox.lock(message.id()))
                .orElseThrow());
        assertEquals(0.0, transitions(tenant, "CANCELLED"));
    }

    @Test
    void theOldestPendingMessagesAgeIsReportedPerTenantAndFallsToZeroWhenNoneWaits() {
        // given a tenant with a pending message created an hour ago, and a new one
        String tenant = RegistryRecords.newTenant();
        Instant anHourAgo = Clock.now().minus(Duration.ofHours(1));
        OutboundMessage old = new OutboundMessage(tenant + "-lamp-old", tenant, "lamp", MessageKind.NOTIFICATION,
                "notifications/test", anHourAgo, Clock.now().plus(Duration.ofHours(1)), "text/plain", new byte[1]);
        OutboundMessage fresh = message(tenant, "fan", "fresh");
        QuarkusTransaction.requiringNew().run(() -> mailbox.store(old, null));
        QuarkusTransaction.requiringNew().run(() -> mailbox.store(fresh, null));
        // when the gauges are refreshed
        metrics.refresh();
        // then the depth is 2 and the age is the old message's: an hour and the moments since (to the millisecond)
        assertEquals(2.0, gauge("outpost.mailbox.depth", tenant));
        double lowest = secondsSince(anHourAgo) - 0.002;
        double age = gauge("outpost.mailbox.oldest.pending.age", tenant);
        double highest = secondsSince(anHourAgo) + 0.002;
        assertTrue(age >= lowest && age <= highest, "age " + age + " s, expected " + lowest + " to " + highest);
        // and once nothing is pending, both are 0
        QuarkusTransaction.requiringNew().run(() -> {
            mailbox.cancel(old.id(), Clock.now(), "test");
            mailbox.cancel(fresh.id(), Clock.now(), "test");
        });
        metrics.refresh();
        assertEquals(0.0, gauge("outpost.mailbox.depth", tenant));
        assertEquals(0.0, gauge("outpost.mailbox.oldest.pending.age", tenant));
    }

    private static double secondsSince(Instant then) {
        return Duration.between(then, Instant.now()).toNanos() / 1e9;
    }

    private double transitions(String tenant, String state) {
        Counter counter = registry.find("outpost.mailbox.transitions").tags("tenant", tenant, "kind", "NOTIFICATION",
                "state", state).counter();
        return counter == null ? 0 : counter.count();
    }

    private double gauge(String name, String tenant) {
        Gauge gauge = registry.find(name).tag("tenant", tenant).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }
}
