package io.outpost.notification.service;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

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
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Members catch up on the group and fleet notifications they do not have yet, each addressed to them alone, in creation
 * order: when a session of theirs starts (the mailbox calls this after it re-published their own notifications), and
 * when an online device joins a group. Membership is the registry view's at that moment.
 */
@ApplicationScoped
public class NotificationCatchUp implements SessionReplay {
    private static final Logger LOG = Logger.getLogger(NotificationCatchUp.class);

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

    private final ExecutorService joins = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "notification-group-joins");
        thread.setDaemon(true);
        return thread;
    });

    void start(@Observes StartupEvent start) {
        devices.onChange(this::deviceChanged);
    }

    void stop(@Observes ShutdownEvent stop) throws InterruptedException {
        joins.shutdown();
        joins.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public void sessionStarted(DeviceSessionEvent event) {
        publishPending(event.tenant(), event.device());
    }

    /** A device's record changed: if it is in groups and online now, it gets what those groups have live. */
    private void deviceChanged(String key, RegistryDevice device) {
        if (device == null || device.groups() == null || device.groups().isEmpty()) {
            return;
        }
        joins.execute(() -> {
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    mailbox.lockDevice(device.tenant(), device.device());
                    if (sessions.online(device.tenant(), device.device())) {
                        publishPending(device.tenant(), device.device());
                    }
                });
            } catch (RuntimeException e) {
                LOG.warnf(e, "could not send %s the notifications of its groups; it gets them on its next session", key);
            }
        });
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
