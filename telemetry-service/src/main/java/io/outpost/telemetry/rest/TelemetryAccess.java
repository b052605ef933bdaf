package io.outpost.telemetry.rest;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.outpost.registryview.DeviceDirectory;
import io.outpost.rest.ProblemException;
import io.outpost.rest.Roles;
import io.outpost.rest.TenantAccess;
import io.outpost.telemetry.TelemetryConfig;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who may read a tenant's telemetry (docs/security.md): its viewers, operators and admins, and platform admins. A
 * tenant not in the token is 404, exactly like a device that does not exist.
 */
@RequestScoped
public class TelemetryAccess {
    @Inject
    SecurityIdentity identity;
    @Inject
    JsonWebToken token;
    @Inject
    TelemetryConfig config;
    @Inject
    DeviceDirectory directory;

    private TenantAccess access;

    @PostConstruct
    void init() {
        access = new TenantAccess(identity, token, config.tenantsClaim());
    }

    public void read(String tenant) {
        access.require(tenant, Roles.TENANT_ADMIN, Roles.TENANT_OPERATOR, Roles.TENANT_VIEWER);
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
