package io.outpost.rest;

import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * The usual checks of a service's request-scoped access bean (docs/security.md): viewers read, operators act, admins
 * administer; a tenant not in the caller's token is 404, exactly like a resource that does not exist, and a role too
 * weak is 403. A service extends it with its own names for the operations and says where its tenants claim is.
 */
public abstract class TenantRoleAccess {
    @Inject
    protected SecurityIdentity identity;
    @Inject
    protected JsonWebToken token;

    private TenantAccess access;

    /** Name of the access-token claim that lists the caller's tenants, from the service's configuration. */
    protected abstract String tenantsClaim();

    protected TenantAccess access() {
        if (access == null) {
            access = new TenantAccess(identity, token, tenantsClaim());
        }
        return access;
    }

    /** Viewers, operators and admins of the tenant. */
    public void read(String tenant) {
        access().require(tenant, Roles.TENANT_ADMIN, Roles.TENANT_OPERATOR, Roles.TENANT_VIEWER);
    }

    /** Operators and admins of the tenant. */
    protected void operate(String tenant) {
        access().require(tenant, Roles.TENANT_ADMIN, Roles.TENANT_OPERATOR);
    }

    /** Admins of the tenant. */
    protected void administer(String tenant) {
        access().require(tenant, Roles.TENANT_ADMIN);
    }

    /** The caller, for histories and audit ({@code preferred_username}, else the subject). */
    public String caller() {
        return access().caller();
    }
}
