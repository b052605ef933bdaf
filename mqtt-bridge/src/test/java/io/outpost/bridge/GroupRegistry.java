package io.outpost.bridge;

import java.util.Collection;
import java.util.List;

import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.RegistryRecords;

/** Registers devices with their group memberships, as the registry would, and waits until the bridge's view has them. */
final class GroupRegistry {
    private GroupRegistry() {
    }

    /** Writes every device of {@code devices} as a member of {@code groups} and waits until the view has them so. */
    static void put(DeviceDirectory directory, String tenant, Collection<String> devices, List<String> groups)
            throws InterruptedException {
        for (String device : devices) {
            RegistryRecords.put(tenant, device, true, TestDevices.SECRET, groups);
        }
        TestDevices.await(() -> devices.stream().allMatch(device -> directory.find(tenant + "/" + device)
                .filter(found -> found.groups().equals(groups)).isPresent()));
    }

    /** Writes one device as a member of {@code groups} and waits until the view has it so. */
    static void put(DeviceDirectory directory, String tenant, String device, String... groups)
            throws InterruptedException {
        put(directory, tenant, List.of(device), List.of(groups));
    }
}
