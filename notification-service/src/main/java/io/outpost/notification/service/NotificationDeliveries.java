package io.outpost.notification.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import io.outpost.contracts.DeliveryReceipt;
import io.outpost.contracts.DeliveryStatus;
import io.outpost.contracts.NotificationEventType;
import io.outpost.mailbox.Clock;
import io.outpost.mailbox.MailboxReceipt;
import io.outpost.mailbox.MailboxState;
import io.outpost.mailbox.MailboxTransition;
import io.outpost.mailbox.Outbox;
import io.outpost.notification.Notification;
import io.outpost.notification.NotificationState;

/**
 * Per-member delivery from the bridges' receipts, in the mailbox's receipt transactions (a poll's worth at a time): a
 * member counts once however many receipts it sends, and an ACTIVE notification that every addressed member has becomes
 * FINISHED. A device notification that its mailbox expired becomes EXPIRED.
 */
@ApplicationScoped
public class NotificationDeliveries {
    @Inject
    EntityManager entityManager;
    @Inject
    Outbox outbox;
    @Inject
    NotificationRecords records;

    void onReceipt(@Observes MailboxReceipt event) {
        DeliveryReceipt receipt = event.receipt();
        boolean delivered = receipt.status() == DeliveryStatus.DELIVERED;
        if (!delivered && receipt.status() != DeliveryStatus.UNDELIVERABLE) {
            return;
        }
        Instant at = receipt.at() == null ? Clock.now() : receipt.at().truncatedTo(ChronoUnit.MICROS);
        int recorded = entityManager.createNativeQuery("insert into notification_delivery"
                + " (notification_id, tenant_id, device_id, delivered_at, undeliverable_reason)"
                + " select id, tenant_id, ?1, ?2, ?5 from notification where id = ?3 and tenant_id = ?4"
                + " on conflict do nothing")
                .setParameter(1, receipt.device()).setParameter(2, at)
                .setParameter(3, receipt.messageId()).setParameter(4, receipt.tenant())
                .setParameter(5, delivered ? null : receipt.reason()).executeUpdate();
        if (recorded == 0) {
            return;
        }
        Notification notification = Notification.findById(receipt.messageId(), LockModeType.PESSIMISTIC_WRITE);
        if (delivered) {
            notification.delivered++;
        } else {
            notification.undeliverable++;
        }
        if (notification.state == NotificationState.ACTIVE
                && notification.delivered + notification.undeliverable >= notification.addressed) {
            notification.state = NotificationState.FINISHED;
            notification.stateAt = at;
            notification.stateReason = notification.undeliverable == 0 ? "every member addressed has it"
                    : "every member addressed has it or can never take it";
            outbox.appendAll(List.of(records.event(notification, NotificationEventType.FINISHED, at,
                    notification.stateReason)));
        }
    }

    void onTransition(@Observes MailboxTransition transition) {
        if (transition.to() != MailboxState.EXPIRED) {
            return;
        }
        Notification notification = Notification.findById(transition.messageId(), LockModeType.PESSIMISTIC_WRITE);
        if (notification != null && notification.state == NotificationState.ACTIVE) {
            NotificationExpiry.expire(notification, transition.at(), outbox, records);
        }
    }
}
