package io.outpost.mailbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.outpost.contracts.MessageKind;
import io.outpost.contracts.OutboundMessage;
import io.outpost.contracts.SessionEventType;
import io.outpost.contracts.Topics;
import io.outpost.messaging.TraceContext;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.outpost.testsupport.RegistryRecords;
import io.outpost.testsupport.TopicReader;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The mailbox on its own, as another owner (notifications) would use it: store, bound, relay, hand-over check. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class MailboxRelayTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Inject
    Mailbox mailbox;
    @Inject
    MailboxSessions sessions;
    @Inject
    Outbox outbox;

    @Test
    void relayPublishesInWriteOrderAndNeverAMessageThatExpiredBeforeItsTurn() {
        // given an online device and three messages for it written in one transaction, the middle one already past its
        // expiry by the time the relay reads it, and a ready record after them
        String tenant = RegistryRecords.newTenant();
        sessions.sessionStarted(Messages.session(tenant, "dev", SessionEventType.CONNECTED, "s1", Clock.now()));
        Instant now = Clock.now();
        QuarkusTransaction.requiringNew().run(() -> {
            mailbox.store(message(tenant, "m-1", now.plus(Duration.ofHours(1))));
            mailbox.store(message(tenant, "m-2", now.minusMillis(1)));
            mailbox.store(message(tenant, "m-3", now.plus(Duration.ofHours(1))));
            outbox.append(Topics.OUTBOUND, tenant + "/dev", Map.of("ce_id", tenant + "-ready"),
                    "ready".getBytes(StandardCharsets.UTF_8));
        });
        // then the relay sends the live ones and the ready record, in order, and skips the expired one
        List<String> ids = TopicReader.read(Topics.OUTBOUND, tenant + "/", 3, Duration.ofSeconds(10)).stream()
                .map(r -> new String(r.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8)).toList();
        assertEquals(List.of(tenant + "-m-1", tenant + "-m-3", tenant + "-ready"), ids);
        assertEquals(3, TopicReader.read(Topics.OUTBOUND, tenant + "/", 4, Duration.ofSeconds(1)).size());
    }

    @Test
    void recordsCarryTheTraceContextTheirMessageWasStoredWithWhenSentAndWhenRepublished() {
        // given an online device, a message stored under a span, one handed in with its caller's trace context (as a
        // group commit's writer does), and a ready record written under the span
        String tenant = RegistryRecords.newTenant();
        sessions.sessionStarted(Messages.session(tenant, "dev", SessionEventType.CONNECTED, "s1", Clock.now()));
        Instant later = Clock.now().plus(Duration.ofHours(1));
        String spanParent = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";
        TraceContext caller = TraceContext.of("00-" + TRACE_ID.replace('4', '5') + "-b7ad6b7169203331-01",
                "vendor=x");
        Span span = Span.wrap(SpanContext.create(TRACE_ID, "00f067aa0ba902b7", TraceFlags.getSampled(),
                TraceState.getDefault()));
        QuarkusTransaction.requiringNew().run(() -> {
            try (Scope scope = Context.root().with(span).makeCurrent()) {
                mailbox.store(message(tenant, "stored", later));
                mailbox.storeAll(List.of(message(tenant, "handed-in", later)), message -> null, message -> caller);
                outbox.append(Topics.OUTBOUND, tenant + "/dev", Map.of("ce_id", tenant + "-event"),
                        "event".getBytes(StandardCharsets.UTF_8));
            }
        });
        // then each record carries the trace context of what it publishes
        Map<String, String> expected = Map.of(tenant + "-stored", spanParent, tenant + "-handed-in",
                caller.traceparent(), tenant + "-event", spanParent);
        assertEquals(expected,
                traceparents(TopicReader.read(Topics.OUTBOUND, tenant + "/", 3, Duration.ofSeconds(10))));

        // when the device connects again: a new session re-publishes its pending messages
        assertEquals(2, sessions.sessionStarted(Messages.session(tenant, "dev", SessionEventType.CONNECTED, "s2",
                Clock.now())));

        // then the re-published records carry the same trace contexts, vendor data included
        List<ConsumerRecord<String, byte[]>> all = TopicReader.read(Topics.OUTBOUND, tenant + "/", 5,
                Duration.ofSeconds(10));
        assertEquals(5, all.size());
        assertEquals(Map.of(tenant + "-stored", spanParent, tenant + "-handed-in", caller.traceparent()),
                traceparents(all.subList(3, 5)));
        assertEquals(caller, TraceContext.read(all.stream().filter(r -> header(r, "ce_id").equals(tenant
                + "-handed-in")).toList().get(1).headers()));
    }

    private static Map<String, String> traceparents(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, String> parents = new HashMap<>();
        records.forEach(record -> parents.put(header(record, "ce_id"), header(record, "traceparent")));
        return parents;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return record.headers().lastHeader(name) == null ? null
                : new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void boundCountsOnlyPendingUnexpiredMessagesOfTheDevice() {
        String tenant = RegistryRecords.newTenant();
        Instant later = Clock.now().plus(Duration.ofHours(1));
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < 5; i++) {
                mailbox.store(message(tenant, "full-" + i, later));
            }
        });
        assertThrows(MailboxFullException.class, () -> QuarkusTransaction.requiringNew()
                .run(() -> mailbox.store(message(tenant, "one-more", later))));
        QuarkusTransaction.requiringNew().run(() -> mailbox.cancel(tenant + "-full-0", Clock.now(), "test"));
        QuarkusTransaction.requiringNew().run(() -> mailbox.store(message(tenant, "fits", later)));
        assertEquals(5, (int) QuarkusTransaction.requiringNew().call(() -> mailbox.pending(tenant, "dev")));
    }

    private static OutboundMessage message(String tenant, String id, Instant expiresAt) {
        return new OutboundMessage(tenant + "-" + id, tenant, "dev", MessageKind.NOTIFICATION, "notifications/test",
                Clock.now(), expiresAt, "text/plain", id.getBytes(StandardCharsets.UTF_8));
    }
}
