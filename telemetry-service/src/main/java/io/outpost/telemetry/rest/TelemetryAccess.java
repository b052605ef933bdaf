package io.outpost.telemetry.rest;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import io.outpost.registryview.DeviceDirectory;
import io.outpost.rest.ProblemException;
import io.outpost.rest.TenantRoleAccess;
import io.outpost.telemetry.TelemetryConfig;

/**
 * Who may read a tenant's telemetry (docs/security.md): its viewers, operators and admins, and platform admins. A
 * tenant not in the token is 404, exactly like a device that does not exist.
 */
@RequestScoped
public class TelemetryAccess extends TenantRoleAccess {
    @Inject
    TelemetryConfig config;
    @Inject
    DeviceDirectory directory;

    @Override
    protected String tenantsClaim() {
        return config.tenantsClaim();
    }

    /** The tenant may be read, and the device is in the registry. */
    public void readDevice(String tenant, String device) {
        read(tenant);
        if (!directory.caughtUp()) {
            throw ProblemException.registryLoading();
        }
        if (directory.find(tenant + "/" + device).isEmpty()) {
            throw ProblemException.notFound("device " + device + " not found");
        }
    }
}
