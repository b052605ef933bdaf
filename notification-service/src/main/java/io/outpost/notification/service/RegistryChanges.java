package io.outpost.notification.service;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.outpost.contracts.Identifiers;
import io.outpost.contracts.RegistryDevice;
import io.outpost.messaging.RecordRetries;
import io.outpost.registryview.DeletedDevices;
import io.outpost.registryview.DeviceDirectory;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Acts on registry changes, one at a time off the registry view's thread: an online device that joins a group catches
 * up at once; a deleted device's pending notifications end ("device deleted") and are never delivered, also for
 * devices deleted (or deleted and created again) while this service was down ({@link DeletedDevices}).
 */
@ApplicationScoped
public class RegistryChanges {
    private static final Logger LOG = Logger.getLogger(RegistryChanges.class);

    @Inject
    DeviceDirectory devices;
    @Inject
    NotificationCatchUp catchUp;
    @Inject
    NotificationService notifications;

    private DeletedDevices deleted;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "notification-registry-changes");
        thread.setDaemon(true);
        return thread;
    });

    void start(@Observes StartupEvent start) {
        devices.onGroupsJoined((device, groups) -> run("catching up " + device.tenant() + "/" + device.device()
                + " on joining " + groups, () -> catchUp.catchUpIfOnline(device.tenant(), device.device())));
        deleted = new DeletedDevices(devices, "notifications",
                () -> QuarkusTransaction.requiringNew().call(notifications::devicesWithActiveNotifications),
                (key, current) -> QuarkusTransaction.requiringNew().run(() -> endPredecessors(key, current)));
    }

    /** Ends the notifications of the device's predecessors: all if it is gone, else those from before its creation. */
    private void endPredecessors(String key, Optional<RegistryDevice> current) {
        int slash = key.indexOf(Identifiers.KEY_SEPARATOR);
        notifications.deviceDeleted(key.substring(0, slash), key.substring(slash + 1), current
                .map(device -> device.createdAt() == null ? Instant.EPOCH : device.createdAt()).orElse(null));
    }

    void stop(@Observes ShutdownEvent stop) throws InterruptedException {
        deleted.close();
        worker.shutdown();
        worker.awaitTermination(5, TimeUnit.SECONDS);
    }

    private void run(String what, Runnable task) {
        worker.execute(() -> {
            try {
                RecordRetries.apply(what, () -> QuarkusTransaction.requiringNew().run(task), worker::isShutdown);
            } catch (RuntimeException e) {
                LOG.debugf("stopped %s: %s", what, e.toString());
            }
        });
    }
}
