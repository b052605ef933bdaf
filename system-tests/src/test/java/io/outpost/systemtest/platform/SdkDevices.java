package io.outpost.systemtest.platform;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.outpost.device.OutpostDevice;

/** Devices of the demo tenant acme on the device SDK. */
final class SdkDevices {
    private SdkDevices() {
    }

    static OutpostDevice.Builder builder(String device, String secret) {
        return OutpostDevice.builder().credentials("acme", device, secret)
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    }

    /**
     * Connects, retrying while the bridge node has not yet learnt of a new device: the registry's record reaches
     * every node through Kafka, a moment after the REST call returned.
     */
    static void connect(OutpostDevice device) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                device.connect().get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the device did not connect", e);
                }
                Thread.sleep(200);
            }
        }
    }
}
