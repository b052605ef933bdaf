package io.outpost.inquiry.service;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.outpost.contracts.Identifiers;
import io.outpost.inquiry.Inquiry;
import io.outpost.mailbox.Clock;
import io.outpost.mailbox.Mailbox;
import io.outpost.registryview.DeviceDirectory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * A device deleted in the registry takes its inquiries with it (ARCHITECTURE.md, device lifecycle): open ones end
 * CANCELLED ("device deleted"), answers still waiting in its mailbox are dropped, and its inquiries are deleted, so a
 * device created again with the same id starts empty and its request ids are new again.
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

    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "inquiry-device-deletions");
        thread.setDaemon(true);
        return thread;
    });

    void start(@Observes StartupEvent start) {
        devices.onChange((key, device) -> {
            if (device == null) {
                int slash = key.indexOf(Identifiers.KEY_SEPARATOR);
                String tenant = key.substring(0, slash);
                String deleted = key.substring(slash + 1);
                worker.execute(() -> {
                    try {
                        deleted(tenant, deleted);
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "failed to end the inquiries of deleted %s", key);
                    }
                });
            }
        });
    }

    void stop(@Observes ShutdownEvent stop) throws InterruptedException {
        worker.shutdown();
        worker.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Transactional
    public void deleted(String tenant, String device) {
        mailbox.lockDevice(tenant, device);
        List<Inquiry> inquiries = Inquiry.list("tenantId = ?1 and deviceId = ?2", tenant, device);
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
