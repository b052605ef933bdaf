package io.outpost.registryview;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until both registry views, devices and groups, have caught up: before that, known devices and groups
 * would be taken for unknown ones.
 */
@Readiness
@ApplicationScoped
public class RegistryViewReadiness implements HealthCheck {
    public static final String NAME = "Registry view";

    @Inject
    DeviceDirectory devices;
    @Inject
    GroupDirectory groups;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(NAME).status(devices.caughtUp() && groups.caughtUp())
                .withData("devices", devices.size()).withData("groups", groups.size()).build();
    }
}
