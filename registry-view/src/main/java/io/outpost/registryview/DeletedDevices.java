package io.outpost.registryview;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.outpost.contracts.RegistryDevice;
import io.outpost.messaging.RecordRetries;

/**
 * Runs an owner's clean-up for deleted devices (ARCHITECTURE.md, device lifecycle) one device at a time, on a thread
 * of its own, never on the registry view's: for every tombstone, and once after every start, when the view has caught
 * up, for every device the owner holds something of, so that a device deleted (or deleted and created again) while
 * the owner was down is cleaned up too, even after its tombstone was compacted away. The clean-up gets the device's
 * record as the view has it when the clean-up runs: empty if it is gone, else the incarnation to keep.
 */
public final class DeletedDevices implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DeletedDevices.class);

    private final DeviceDirectory devices;
    private final String what;
    private final BiConsumer<String, Optional<RegistryDevice>> cleanUp;
    private final ExecutorService worker;

    /**
     * @param what    what is cleaned up, for the thread name and the log ("commands")
     * @param held    the keys ({@code tenant/device}) of the devices the owner holds something of
     * @param cleanUp for a key and the device's current record: ends what belongs to its predecessors; it may throw:
     *                through a database outage it is tried again until the database is back, on other failures a
     *                few times, then logged (the next start tries again)
     */
    public DeletedDevices(DeviceDirectory devices, String what, Supplier<Collection<String>> held,
            BiConsumer<String, Optional<RegistryDevice>> cleanUp) {
        this.devices = devices;
        this.what = what;
        this.cleanUp = cleanUp;
        this.worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, what + "-of-deleted-devices");
            thread.setDaemon(true);
            return thread;
        });
        devices.onChange((key, device) -> {
            if (device == null) {
                worker.execute(() -> cleanUp(key));
            }
        });
        devices.whenCaughtUp(() -> worker.execute(() -> {
            List<String> keys = new ArrayList<>();
            if (retried("listing the devices with " + what, () -> keys.addAll(held.get()))) {
                keys.forEach(this::cleanUp);
            }
        }));
    }

    private void cleanUp(String key) {
        retried("ending the " + what + " of deleted " + key, () -> cleanUp.accept(key, devices.find(key)));
    }

    /** Through a database outage until it is back; given up (logged; the next start tries again) on other failures. */
    private boolean retried(String work, Runnable task) {
        try {
            return RecordRetries.apply(work, task, worker::isShutdown);
        } catch (RuntimeException e) {
            LOG.debugf("stopped %s: %s", work, e.toString());
            return false;
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
