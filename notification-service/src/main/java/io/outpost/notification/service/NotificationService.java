package io.outpost.notification.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.outpost.contracts.Audience;
import io.outpost.contracts.Identifiers;
import io.outpost.contracts.NotificationEventType;
import io.outpost.mailbox.Clock;
import io.outpost.mailbox.Mailbox;
import io.outpost.mailbox.MailboxConfig;
import io.outpost.mailbox.MailboxFullException;
import io.outpost.mailbox.MessageIds;
import io.outpost.mailbox.Outbox;
import io.outpost.notification.Notification;
import io.outpost.notification.NotificationState;
import io.outpost.notification.Target;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.registryview.GroupDirectory;
import io.outpost.rest.ProblemException;

/**
 * Sends and revokes notifications. A send writes a constant number of rows and records whatever the audience's size:
 * the notification, its outbound record (a device's goes through its mailbox, with the mailbox's bound) and its event.
 */
@ApplicationScoped
public class NotificationService {
    static final String DEVICE_DELETED = "device deleted";
    @Inject
    DeviceDirectory devices;
    @Inject
    GroupDirectory groups;
    @Inject
    Mailbox mailbox;
    @Inject
    MailboxConfig mailboxConfig;
    @Inject
    Outbox outbox;
    @Inject
    NotificationRecords records;
    @Inject
    NotificationLocks locks;

    /** The notification, and whether it was created by an earlier POST with the same Idempotency-Key. */
    public record Sent(Notification notification, boolean replayed) {
    }

    @Transactional
    public Sent send(String tenant, ValidNotification request, String idempotencyKey, String caller) {
        if (!devices.caughtUp() || !groups.caughtUp()) {
            throw ProblemException.registryLoading();
        }
        if (idempotencyKey != null) {
            locks.idempotencyKey(tenant, idempotencyKey);
            Optional<Notification> earlier = Notification.<Notification>find("tenantId = ?1 and idempotencyKey = ?2",
                    tenant, idempotencyKey).firstResultOptional();
            if (earlier.isPresent()) {
                return replay(earlier.get(), request, idempotencyKey);
            }
        }
        Notification notification = newNotification(tenant, request, idempotencyKey, caller, addressed(tenant,
                request.target()));
        notification.persist();
        if (notification.audience == Audience.DEVICE) {
            try {
                mailbox.store(records.message(notification));
            } catch (MailboxFullException e) {
                throw new ProblemException(429, "Too many requests", e.getMessage()
                        + "; wait until some are delivered, expire or are revoked", List.of());
            }
        } else {
            outbox.appendAll(List.of(records.audience(notification)));
        }
        outbox.appendAll(List.of(records.event(notification, NotificationEventType.SENT, notification.createdAt,
                "sent by " + caller)));
        return new Sent(notification, false);
    }

    /**
     * Revokes a live notification: nothing more is published for it and every bridge node drops it; a copy a node
     * already sent and the device has not acknowledged yet cannot be recalled. Revoking again changes nothing.
     */
    @Transactional
    public Notification revoke(String tenant, String id, String caller) {
        Notification found = find(tenant, id);
        Instant now = Clock.now();
        String reason = "revoked by " + caller;
        if (found.audience == Audience.DEVICE) {
            // Lock order: the device's mailbox and its message before the notification row (as receipts take them).
            mailbox.lockDevice(tenant, found.target);
            mailbox.cancel(found.id, now, reason);
        }
        Notification notification = lock(found);
        if (notification.state == NotificationState.REVOKED) {
            return notification;
        }
        if (notification.state == NotificationState.EXPIRED || !notification.live(now)) {
            throw ProblemException.conflict("notification " + id + " has expired; there is nothing left to revoke");
        }
        end(notification, now, reason);
        return notification;
    }

    /**
     * The device was deleted: its notifications still pending end REVOKED ("device deleted") and are never delivered,
     * on any node. A device created again with the same id does not get them.
     *
     * @param since the device's incarnation now (only notifications created before it end); null if it is gone
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void deviceDeleted(String tenant, String device, Instant since) {
        String pendingOfDevice = "tenantId = ?1 and audience = ?2 and target = ?3 and state = ?4";
        List<Notification> pending = since == null
                ? Notification.list(pendingOfDevice, tenant, Audience.DEVICE, device, NotificationState.ACTIVE)
                : Notification.list(pendingOfDevice + " and createdAt < ?5", tenant, Audience.DEVICE, device,
                        NotificationState.ACTIVE, since);
        if (pending.isEmpty()) {
            return;
        }
        Instant now = Clock.now();
        mailbox.lockDevice(tenant, device);
        for (Notification found : pending) {
            mailbox.cancel(found.id, now, DEVICE_DELETED);
            Notification notification = lock(found);
            if (notification.state == NotificationState.ACTIVE) {
                end(notification, now, DEVICE_DELETED);
            }
        }
    }

    /** Devices ({@code tenant/device}) with notifications of their own still ACTIVE. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> devicesWithActiveNotifications() {
        return Notification.getEntityManager().createQuery("select distinct n.tenantId || '/' || n.target"
                + " from Notification n where n.audience = ?1 and n.state = ?2", String.class)
                .setParameter(1, Audience.DEVICE).setParameter(2, NotificationState.ACTIVE).getResultList();
    }

    /** Locks the row and reads it again: a receipt may have counted a delivery since it was read. */
    private static Notification lock(Notification notification) {
        Notification.getEntityManager().refresh(notification, LockModeType.PESSIMISTIC_WRITE);
        return notification;
    }

    /** REVOKED: the bridges are told to drop it, and its event goes out. */
    private void end(Notification notification, Instant now, String reason) {
        notification.state = NotificationState.REVOKED;
        notification.stateAt = now;
        notification.stateReason = reason;
        outbox.appendAll(List.of(records.revoked(notification, now),
                records.event(notification, NotificationEventType.REVOKED, now, reason)));
    }

    /** The tenant's notification; 404 for another tenant's, exactly as for one that does not exist. */
    public Notification find(String tenant, String id) {
        Notification notification = Notification.findById(id);
        if (notification == null || !notification.tenantId.equals(tenant)) {
            throw ProblemException.notFound("notification " + id + " not found");
        }
        return notification;
    }

    private long addressed(String tenant, Target target) {
        return switch (target.audience()) {
            case DEVICE -> {
                if (devices.find(tenant + Identifiers.KEY_SEPARATOR + target.id()).isEmpty()) {
                    throw ProblemException.notFound("device " + target.id() + " not found");
                }
                yield 1;
            }
            case GROUP -> {
                if (!groups.exists(tenant, target.id())) {
                    throw ProblemException.notFound("group " + target.id() + " not found");
                }
                yield devices.memberCount(tenant, target.id());
            }
            case FLEET -> devices.tenantCount(tenant);
        };
    }

    private static Sent replay(Notification earlier, ValidNotification request, String idempotencyKey) {
        if (!earlier.requestHash.equals(request.fingerprint())) {
            throw ProblemException.conflict("Idempotency-Key " + idempotencyKey
                    + " was used for a different notification (" + earlier.id + ")");
        }
        return new Sent(earlier, true);
    }

    private static Notification newNotification(String tenant, ValidNotification request, String idempotencyKey,
            String caller, long addressed) {
        Instant now = Clock.now();
        Notification notification = new Notification();
        notification.id = MessageIds.next();
        notification.tenantId = tenant;
        notification.audience = request.target().audience();
        notification.target = request.target().id();
        notification.topic = request.topic();
        notification.contentType = request.contentType();
        notification.payload = request.payload();
        notification.createdAt = now;
        notification.expiresAt = now.plus(request.ttl());
        notification.state = NotificationState.ACTIVE;
        notification.stateAt = now;
        notification.createdBy = caller;
        notification.addressed = addressed;
        notification.idempotencyKey = idempotencyKey;
        notification.requestHash = request.fingerprint();
        return notification;
    }
}
