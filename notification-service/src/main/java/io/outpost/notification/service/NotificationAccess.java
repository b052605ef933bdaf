package io.outpost.notification.service;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.outpost.notification.config.NotificationConfig;
import io.outpost.rest.Roles;
import io.outpost.rest.TenantAccess;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who may do what with a tenant's notifications (docs/security.md), as for commands: a tenant not in the caller's token
 * is 404, exactly like a notification that does not exist; a role too weak is 403.
 */
@RequestScoped
public class NotificationAccess {
    @Inject
    SecurityIdentity identity;
    @Inject
    JsonWebToken token;
    @Inject
    NotificationConfig config;

    private TenantAccess access;

    @PostConstruct
    void init() {
        access = new TenantAccess(identity, token, config.tenantsClaim());
    }

    /** Viewers, operators and admins of the tenant may read its notifications. */
    public void read(String tenant) {
        access.require(tenant, Roles.TENANT_ADMIN, Roles.TENANT_OPERATOR, Roles.TENANT_VIEWER);
    }

    /** Operators and admins of the tenant may send and revoke notifications. */
    public void send(String tenant) {
        access.require(tenant, Roles.TENANT_ADMIN, Roles.TENANT_OPERATOR);
    }

    public String caller() {
        return access.caller();
    }
}
