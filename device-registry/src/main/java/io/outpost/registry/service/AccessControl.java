package io.outpost.registry.service;

import java.util.List;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.outpost.registry.Tenant;
import io.outpost.registry.config.RegistryConfig;
import io.outpost.registry.rest.problem.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Decides what the caller may do with a tenant. A tenant the caller does not belong to is reported exactly like a
 * tenant that does not exist (404), so tenants cannot be discovered; a role that is too weak for an operation on a
 * visible tenant is 403.
 */
@RequestScoped
public class AccessControl {
    public static final String PLATFORM_ADMIN = "platform-admin";
    public static final String TENANT_ADMIN = "tenant-admin";
    public static final String TENANT_OPERATOR = "tenant-operator";
    public static final String TENANT_VIEWER = "tenant-viewer";

    @Inject
    SecurityIdentity identity;
    @Inject
    JsonWebToken token;
    @Inject
    RegistryConfig config;

    /** Tenants named in the caller's token. */
    public List<String> tenants() {
        return token.<JsonArray>claim(config.tenantsClaim())
                .map(array -> array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList())
                .orElse(List.of());
    }

    public boolean isPlatformAdmin() {
        return identity.hasRole(PLATFORM_ADMIN);
    }

    /** Viewers, operators and admins of the tenant may read its devices, groups and credential metadata. */
    public Tenant read(String tenantId) {
        Tenant tenant = visible(tenantId);
        requireAnyRole(tenantId, TENANT_ADMIN, TENANT_OPERATOR, TENANT_VIEWER);
        return tenant;
    }

    /** Only tenant admins change devices, groups and memberships. */
    public Tenant write(String tenantId) {
        Tenant tenant = visible(tenantId);
        requireAnyRole(tenantId, TENANT_ADMIN);
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
        Tenant tenant = isPlatformAdmin() || tenants().contains(tenantId) ? Tenant.findById(tenantId) : null;
        if (tenant == null) {
            throw ProblemException.notFound("tenant " + tenantId + " not found");
        }
        return tenant;
    }

    private void requireAnyRole(String tenantId, String... roles) {
        if (isPlatformAdmin()) {
            return;
        }
        for (String role : roles) {
            if (identity.hasRole(role)) {
                return;
            }
        }
        throw ProblemException.forbidden("your roles do not allow this on tenant " + tenantId);
    }
}
