package io.outpost.remoteaccess;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import io.outpost.remoteaccess.config.RemoteAccessConfig;
import io.outpost.rest.TenantRoleAccess;

/** Who may do what: viewers read switches, tunnels and the audit; operators open and close tunnels; admins switch. */
@RequestScoped
public class RemoteAccessAccess extends TenantRoleAccess {
    @Inject
    RemoteAccessConfig config;

    @Override
    protected String tenantsClaim() {
        return config.tenantsClaim();
    }

    /** Tenant admins switch remote access on and off. */
    public void setSwitches(String tenant) {
        administer(tenant);
    }

    /** Operators and admins open and close tunnels. */
    public void useTunnels(String tenant) {
        operate(tenant);
    }
}
