package io.outpost.bridge;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.RegistryRecords;

/** Registers devices as the registry would, and waits until the bridge's view has them. */
public final class TestDevices {
    public static final String SECRET = "correct-horse-battery-staple";

    private TestDevices() {
    }

    /** A tenant no other test uses. */
    public static String newTenant() {
        return RegistryRecords.newTenant();
    }

    /** Registers an enabled device with {@link #SECRET} and waits until the bridge's view has it. */
    public static void register(DeviceDirectory directory, String tenant, String device) throws Exception {
        put(directory, tenant, device, true);
    }

    public static void put(DeviceDirectory directory, String tenant, String device, boolean enabled) throws Exception {
        RegistryRecords.put(tenant, device, enabled, SECRET);
        await(() -> directory.find(tenant + "/" + device).filter(d -> d.enabled() == enabled).isPresent());
    }

    public static void delete(DeviceDirectory directory, String tenant, String device) throws Exception {
        RegistryRecords.delete(tenant, device);
        await(() -> directory.find(tenant + "/" + device).isEmpty());
    }

    public static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(20);
        }
    }
}
