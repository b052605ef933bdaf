package io.outpost.inquiry.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.outpost.contracts.Identifiers;
import io.outpost.inquiry.Inquiry;
import io.outpost.mailbox.Clock;
import io.outpost.mailbox.Mailbox;
import io.outpost.registryview.DeletedDevices;
import io.outpost.registryview.DeviceDirectory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * A device deleted in the registry takes its inquiries with it (ARCHITECTURE.md, device lifecycle): open ones end
 * CANCELLED ("device deleted"), answers still waiting in its mailbox are dropped, and its inquiries are deleted, so a
 * device created again with the same id starts empty and its request ids are new again. Acts on the registry view's
 * tombstones, and once after every start, when the view has caught up, on every device with inquiries: deleted
 * while this service was down, or deleted and created again (then the inquiries opened before its creation end).
 */
@ApplicationScoped
public class DeviceDeletions {
    private static final Logger LOG = Logger.getLogger(DeviceDeletions.class);
    static final String DEVICE_DELETED = "device deleted";

    @Inject
    DeviceDirectory devices;
    @Inject
    Mailbox mailbox;
    @Inject
    InquiryLifecycle lifecycle;

    private DeletedDevices deleted;

    void start(@Observes StartupEvent start) {
        deleted = new DeletedDevices(devices, "inquiries", this::devicesWithInquiries, (key, current) -> {
            int slash = key.indexOf(Identifiers.KEY_SEPARATOR);
            deleted(key.substring(0, slash), key.substring(slash + 1),
                    current.map(device -> device.createdAt() == null ? Instant.EPOCH : device.createdAt())
                            .orElse(null));
        });
    }

    void stop(@Observes ShutdownEvent stop) {
        deleted.close();
    }

    @Transactional
    List<String> devicesWithInquiries() {
        return Inquiry.getEntityManager().createQuery(
                "select distinct i.tenantId || '/' || i.deviceId from Inquiry i", String.class).getResultList();
    }

    /** @param since the device's incarnation now; null if it is gone (then every inquiry of it ends) */
    @Transactional
    public void deleted(String tenant, String device, Instant since) {
        mailbox.lockDevice(tenant, device);
        List<Inquiry> inquiries = since == null ? Inquiry.list("tenantId = ?1 and deviceId = ?2", tenant, device)
                : Inquiry.list("tenantId = ?1 and deviceId = ?2 and openedAt < ?3", tenant, device, since);
        Instant now = Clock.now();
        for (Inquiry found : inquiries) {
            Inquiry inquiry = lifecycle.lock(found);
            if (inquiry.state.live()) {
                lifecycle.cancel(inquiry, now, DEVICE_DELETED);
            } else {
                mailbox.cancelStream(tenant, device, inquiry.id, now, DEVICE_DELETED);
            }
            inquiry.delete();
        }
        if (!inquiries.isEmpty()) {
            LOG.infof("%d inquiries of deleted device %s/%s ended and removed", inquiries.size(), tenant, device);
        }
    }
}
