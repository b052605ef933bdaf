package io.outpost.registryview;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the registry view has caught up: before that, known devices would be taken for unknown ones. */
@Readiness
@ApplicationScoped
public class RegistryViewReadiness implements HealthCheck {
    public static final String NAME = "Registry view";

    @Inject
    DeviceDirectory directory;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(NAME).status(directory.caughtUp()).withData("devices", directory.size()).build();
    }
}
