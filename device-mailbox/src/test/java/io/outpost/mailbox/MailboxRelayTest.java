package io.outpost.mailbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.outpost.contracts.MessageKind;
import io.outpost.contracts.OutboundMessage;
import io.outpost.contracts.SessionEventType;
import io.outpost.contracts.Topics;
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
