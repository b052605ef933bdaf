package io.outpost.notification.service;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import io.outpost.notification.config.NotificationConfig;
import io.outpost.rest.TenantRoleAccess;

/** Who may do what with a tenant's notifications, as for commands: viewers read, operators and admins send and revoke. */
@RequestScoped
public class NotificationAccess extends TenantRoleAccess {
    @Inject
    NotificationConfig config;

    @Override
    protected String tenantsClaim() {
        return config.tenantsClaim();
    }

    /** Operators and admins of the tenant may send and revoke notifications. */
    public void send(String tenant) {
        operate(tenant);
    }
}
