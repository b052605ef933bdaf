package io.outpost.mailbox;

import static io.outpost.mailbox.Messages.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.outpost.contracts.DeliveryReceipt;
import io.outpost.contracts.DeliveryStatus;
import io.outpost.contracts.MessageKind;
import io.outpost.contracts.OutboundMessage;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.outpost.testsupport.RegistryRecords;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Receipts: the owner's clock decides expiry, owners hear of every receipt, and streams keep one pending message. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class MailboxReceiptTest {
    @Inject
    Mailbox mailbox;
    @Inject
    RecordingOwner owner;

    @Test
    void expiredReceiptFromABridgeWhoseClockRunsFastIsIgnoredUntilTheOwnersExpiry() {
        // given a message that expires in an hour by the owner's clock
        String tenant = RegistryRecords.newTenant();
        OutboundMessage message = message(tenant, "lamp", "advisory");
        store(message, null);
        // when a bridge node, an hour ahead, reports it EXPIRED
        assertFalse(mailbox.applyReceipt(receipt(message, DeliveryStatus.EXPIRED)));
        // then it stays pending, and a later DELIVERED wins
        assertEquals(Optional.of(MailboxState.PENDING), state(message.id()));
        assertTrue(mailbox.applyReceipt(receipt(message, DeliveryStatus.DELIVERED)));
        assertEquals(Optional.of(MailboxState.DELIVERED), state(message.id()));
        // and the owner heard of both receipts, and of the one transition
        assertEquals(List.of("EXPIRED:false", "DELIVERED:true"), owner.receipts(message.id()));
        assertEquals(List.of("DELIVERED"), owner.transitions(message.id()));
    }

    @Test
    void expiredReceiptAfterTheOwnersExpiryExpiresTheMessage() {
        String tenant = RegistryRecords.newTenant();
        OutboundMessage message = message(tenant, "lamp", "short", Clock.now().plusMillis(300));
        store(message, null);
        Instant expired = message.expiresAt().plusMillis(50);
        while (Clock.now().isBefore(expired)) {
            Thread.onSpinWait();
        }
        assertTrue(mailbox.applyReceipt(receipt(message, DeliveryStatus.EXPIRED)));
        assertEquals(Optional.of(MailboxState.EXPIRED), state(message.id()));
    }

    @Test
    void receiptForAnotherDeviceChangesNothing() {
        String tenant = RegistryRecords.newTenant();
        OutboundMessage message = message(tenant, "lamp", "mine");
        store(message, null);
        DeliveryReceipt foreign = new DeliveryReceipt(message.id(), tenant, "other-lamp", MessageKind.NOTIFICATION,
                DeliveryStatus.DELIVERED, Instant.now(), "node-test", null);
        assertFalse(mailbox.applyReceipt(foreign));
        assertEquals(Optional.of(MailboxState.PENDING), state(message.id()));
    }

    @Test
    void aBatchOfReceiptsIsAppliedAsEachAloneWouldBeInOrder() {
        // given two pending messages of one device
        String tenant = RegistryRecords.newTenant();
        OutboundMessage first = message(tenant, "lamp", "first");
        OutboundMessage second = message(tenant, "lamp", "second");
        store(first, null);
        store(second, null);
        DeliveryReceipt delivered = receipt(first, DeliveryStatus.DELIVERED);
        DeliveryReceipt repeated = receipt(first, DeliveryStatus.DELIVERED);
        DeliveryReceipt early = receipt(second, DeliveryStatus.EXPIRED);
        DeliveryReceipt secondDelivered = receipt(second, DeliveryStatus.DELIVERED);
        DeliveryReceipt unknown = receipt(message(tenant, "lamp", "never-stored"), DeliveryStatus.DELIVERED);
        // when one batch brings a delivery, its repetition, an early expiry, a later delivery and an unknown id
        List<DeliveryReceipt> ignored = QuarkusTransaction.requiringNew()
                .call(() -> mailbox.applyReceipts(List.of(delivered, repeated, early, secondDelivered, unknown)));
        // then each changed its message as it would alone, the ones that changed nothing are returned
        assertEquals(Arrays.asList(null, repeated, early, null, unknown), ignored);
        assertEquals(Optional.of(MailboxState.DELIVERED), state(first.id()));
        assertEquals(Optional.of(MailboxState.DELIVERED), state(second.id()));
        // and the owner heard of every receipt and of each message's one transition
        assertEquals(List.of("DELIVERED:true", "DELIVERED:false"), owner.receipts(first.id()));
        assertEquals(List.of("EXPIRED:false", "DELIVERED:true"), owner.receipts(second.id()));
        assertEquals(List.of("DELIVERED"), owner.transitions(first.id()));
        assertEquals(List.of("DELIVERED"), owner.transitions(second.id()));
    }

    @Test
    void newerMessageOfAStreamReplacesThePendingOneSoTheBoundIsNotFilledWithStaleAnswers() {
        // given a continuing answer stream to an offline device, longer than the bound of 5
        String tenant = RegistryRecords.newTenant();
        List<OutboundMessage> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            OutboundMessage answer = message(tenant, "truck", "answer-" + i);
            answers.add(answer);
            store(answer, "inquiry-42");
        }
        // then only the newest is pending; each older one was cancelled, replaced by its successor
        assertEquals(1, (int) QuarkusTransaction.requiringNew().call(() -> mailbox.pending(tenant, "truck")));
        assertEquals(Optional.of(MailboxState.PENDING), state(answers.get(7).id()));
        for (int i = 0; i < 7; i++) {
            assertEquals(Optional.of(MailboxState.CANCELLED), state(answers.get(i).id()));
            assertEquals(List.of("CANCELLED"), owner.transitions(answers.get(i).id()));
        }
        // and another stream, or a message without one, is untouched
        store(message(tenant, "truck", "other-stream"), "inquiry-43");
        store(message(tenant, "truck", "no-stream"), null);
        assertEquals(3, (int) QuarkusTransaction.requiringNew().call(() -> mailbox.pending(tenant, "truck")));
    }

    private void store(OutboundMessage message, String streamKey) {
        QuarkusTransaction.requiringNew().run(() -> mailbox.store(message, streamKey));
    }

    private Optional<MailboxState> state(String id) {
        return QuarkusTransaction.requiringNew().call(() -> mailbox.lock(id));
    }

    private static DeliveryReceipt receipt(OutboundMessage message, DeliveryStatus status) {
        return new DeliveryReceipt(message.id(), message.tenant(), message.device(), message.kind(), status,
                Instant.now(), "node-test", null);
    }

    /** An owner that remembers the receipts and transitions it was told about. */
    @ApplicationScoped
    static class RecordingOwner {
        private final List<String[]> receipts = new ArrayList<>();
        private final List<String[]> transitions = new ArrayList<>();

        synchronized void onReceipt(@Observes MailboxReceipt receipt) {
            receipts.add(new String[] { receipt.receipt().messageId(),
                    receipt.receipt().status() + ":" + receipt.changedMailbox() });
        }

        synchronized void onTransition(@Observes MailboxTransition transition) {
            transitions.add(new String[] { transition.messageId(), transition.to().name() });
        }

        synchronized List<String> receipts(String id) {
            return receipts.stream().filter(r -> r[0].equals(id)).map(r -> r[1]).toList();
        }

        synchronized List<String> transitions(String id) {
            return transitions.stream().filter(r -> r[0].equals(id)).map(r -> r[1]).toList();
        }
    }
}
