package io.outpost.command.service;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.outpost.command.config.CommandConfig;
import io.outpost.rest.Roles;
import io.outpost.rest.TenantAccess;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who may do what with a tenant's commands (docs/security.md), on top of rest-support's {@link TenantAccess}: a tenant
 * not in the caller's token is 404, exactly like a command that does not exist; a role too weak is 403. The service
 * has no tenant table: a tenant the caller holds but that has no devices simply has no commands.
 */
@RequestScoped
public class CommandAccess {
    @Inject
    SecurityIdentity identity;
    @Inject
    JsonWebToken token;
    @Inject
    CommandConfig config;

    private TenantAccess access;

    @PostConstruct
    void init() {
        access = new TenantAccess(identity, token, config.tenantsClaim());
    }

    /** Viewers, operators and admins of the tenant may read its commands. */
    public void read(String tenant) {
        access.require(tenant, Roles.TENANT_ADMIN, Roles.TENANT_OPERATOR, Roles.TENANT_VIEWER);
    }

    /** Operators and admins of the tenant may send and cancel commands. */
    public void send(String tenant) {
        access.require(tenant, Roles.TENANT_ADMIN, Roles.TENANT_OPERATOR);
    }

    /** The caller, for the history ({@code preferred_username}, else the subject). */
    public String caller() {
        return access.caller();
    }
}
