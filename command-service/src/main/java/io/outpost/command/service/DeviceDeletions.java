package io.outpost.command.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.outpost.contracts.Identifiers;
import io.outpost.contracts.RegistryDevice;
import io.outpost.registryview.DeletedDevices;
import io.outpost.registryview.DeviceDirectory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * A device deleted in the registry takes its commands with it ({@link CommandService#endPredecessors}), also one
 * deleted, or deleted and created again, while this service was down ({@link DeletedDevices}).
 */
@ApplicationScoped
public class DeviceDeletions {
    private static final Logger LOG = Logger.getLogger(DeviceDeletions.class);

    @Inject
    DeviceDirectory devices;
    @Inject
    CommandService commands;

    private DeletedDevices deleted;

    void start(@Observes StartupEvent start) {
        deleted = new DeletedDevices(devices, "commands", commands::devicesWithCommands, (key, current) -> {
            if (current.isPresent() && current.get().createdAt() == null) {
                return; // a record from before incarnations: nothing to tell its commands apart by
            }
            int slash = key.indexOf(Identifiers.KEY_SEPARATOR);
            int ended = commands.endPredecessors(key.substring(0, slash), key.substring(slash + 1),
                    current.map(RegistryDevice::createdAt));
            if (ended > 0) {
                LOG.infof("%d commands of %s ended with their device's deletion and were removed", ended, key);
            }
        });
    }

    void stop(@Observes ShutdownEvent stop) {
        deleted.close();
    }
}
