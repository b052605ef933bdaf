package io.outpost.registry.service;

import java.util.List;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.outpost.registry.Tenant;
import io.outpost.registry.config.RegistryConfig;
import io.outpost.rest.ProblemException;
import io.outpost.rest.Roles;
import io.outpost.rest.TenantAccess;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The registry's operations on top of rest-support's {@link TenantAccess}: a tenant the caller does not belong to, or
 * that does not exist, is 404 (so tenants cannot be discovered); a role that is too weak for an operation on a
 * visible tenant is 403.
 */
@RequestScoped
public class AccessControl {
    public static final String PLATFORM_ADMIN = Roles.PLATFORM_ADMIN;
    public static final String TENANT_ADMIN = Roles.TENANT_ADMIN;
    public static final String TENANT_OPERATOR = Roles.TENANT_OPERATOR;
    public static final String TENANT_VIEWER = Roles.TENANT_VIEWER;

    @Inject
    SecurityIdentity identity;
    @Inject
    JsonWebToken token;
    @Inject
    RegistryConfig config;

    private TenantAccess access;

    @PostConstruct
    void init() {
        access = new TenantAccess(identity, token, config.tenantsClaim());
    }

    /** Tenants named in the caller's token. */
    public List<String> tenants() {
        return access.tenants();
    }

    public boolean isPlatformAdmin() {
        return access.isPlatformAdmin();
    }

    /** Viewers, operators and admins of the tenant may read its devices, groups and credential metadata. */
    public Tenant read(String tenantId) {
        Tenant tenant = visible(tenantId);
        access.requireAnyRole(tenantId, TENANT_ADMIN, TENANT_OPERATOR, TENANT_VIEWER);
        return tenant;
    }

    /** Only tenant admins change devices, groups and memberships. */
    public Tenant write(String tenantId) {
        Tenant tenant = visible(tenantId);
        access.requireAnyRole(tenantId, TENANT_ADMIN);
        return tenant;
    }

    /** Only tenant admins issue, list and revoke device credentials. */
    public Tenant manageCredentials(String tenantId) {
        return write(tenantId);
    }

    public void requirePlatformAdmin() {
        if (!isPlatformAdmin()) {
            throw ProblemException.forbidden("only a platform-admin may manage tenants");
        }
    }

    private Tenant visible(String tenantId) {
        Tenant tenant = access.holds(tenantId) ? Tenant.findById(tenantId) : null;
        if (tenant == null) {
            throw TenantAccess.notFound(tenantId);
        }
        return tenant;
    }
}
