package io.outpost.registryview;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Writes a group and a member device before the application starts, so tests can tell that the views read the
 * topics from the beginning. The tenant is in the configuration as {@code test.preexisting-tenant}.
 */
public class PreexistingRecords implements QuarkusTestResourceLifecycleManager {
    static final String GROUP = "existing";
    static final String DEVICE = "old-device";

    @Override
    public Map<String, String> start() {
        String tenant = RegistryTopics.newTenant();
        try (RegistryTopics topics = new RegistryTopics()) {
            topics.group(tenant, GROUP, "Written before start");
            topics.device(tenant, DEVICE, GROUP);
            topics.flush();
        }
        return Map.of("test.preexisting-tenant", tenant);
    }

    @Override
    public void stop() {
        // The records stay: the broker is shared by every test of the JVM.
    }
}
