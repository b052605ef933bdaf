package io.outpost.notification.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.outpost.contracts.DeviceSessionEvent;
import io.outpost.contracts.Identifiers;
import io.outpost.contracts.RegistryDevice;
import io.outpost.mailbox.Clock;
import io.outpost.mailbox.Mailbox;
import io.outpost.mailbox.MailboxSessions;
import io.outpost.mailbox.Outbox;
import io.outpost.mailbox.SessionReplay;
import io.outpost.notification.Notification;
import io.outpost.registryview.DeviceDirectory;

/**
 * Members catch up on the group and fleet notifications they do not have yet, each addressed to them alone, in creation
 * order: when a session of theirs starts (the mailbox calls this after it re-published their own notifications), and
 * when an online device joins a group. Membership is the registry view's at that moment.
 */
@ApplicationScoped
public class NotificationCatchUp implements SessionReplay {
    @Inject
    DeviceDirectory devices;
    @Inject
    Mailbox mailbox;
    @Inject
    MailboxSessions sessions;
    @Inject
    Outbox outbox;
    @Inject
    NotificationRecords records;
    @Inject
    EntityManager entityManager;

    @Override
    public void sessionStarted(DeviceSessionEvent event) {
        publishPending(event.tenant(), event.device());
    }

    /** Catches the device up if it is online now (e.g. it just joined a group); else its next session will. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void catchUpIfOnline(String tenant, String device) {
        mailbox.lockDevice(tenant, device);
        if (sessions.online(tenant, device)) {
            publishPending(tenant, device);
        }
    }

    private void publishPending(String tenant, String device) {
        List<String> groups = devices.find(tenant + Identifiers.KEY_SEPARATOR + device)
                .map(RegistryDevice::groups).orElse(null);
        if (groups == null) {
            return;
        }
        List<Notification> pending = pending(tenant, device, groups);
        outbox.appendAll(pending.stream().map(notification -> records.copyFor(notification, device)).toList());
    }

    /** The tenant's live group and fleet notifications for a device in these groups, not delivered to it yet. */
    @SuppressWarnings("unchecked")
    private List<Notification> pending(String tenant, String device, List<String> groups) {
        String audience = groups.isEmpty() ? "n.audience = 'FLEET'"
                : "(n.audience = 'FLEET' or (n.audience = 'GROUP' and n.target in (:groups)))";
        var query = entityManager.createNativeQuery("select n.* from notification n where n.tenant_id = :tenant"
                + " and n.state in ('ACTIVE', 'FINISHED') and n.expires_at > :now and " + audience
                + " and not exists (select 1 from notification_delivery d"
                + " where d.notification_id = n.id and d.device_id = :device)"
                + " order by n.created_at, n.id", Notification.class)
                .setParameter("tenant", tenant).setParameter("now", Clock.now()).setParameter("device", device);
        if (!groups.isEmpty()) {
            query.setParameter("groups", groups);
        }
        return query.getResultList();
    }
}
