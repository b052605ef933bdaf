package io.outpost.rest;

import java.util.List;

import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * What a verified caller may do with a tenant, from its token alone: the tenants it holds are listed in one claim (a
 * JSON array of tenant ids, its name configurable per service), its roles are realm roles. A tenant the caller does
 * not hold is reported exactly like one that does not exist (404), so tenants cannot be discovered; a role too weak
 * for an operation on a tenant the caller holds is 403. A {@link Roles#PLATFORM_ADMIN} holds every tenant with every
 * role.
 * <p>
 * Services wrap it in a request-scoped bean of their own that knows their operations and, where they have one, checks
 * that the tenant exists (the registry does; services without a tenant table take the token's word).
 */
public final class TenantAccess {
    private final SecurityIdentity identity;
    private final JsonWebToken token;
    private final String tenantsClaim;

    public TenantAccess(SecurityIdentity identity, JsonWebToken token, String tenantsClaim) {
        this.identity = identity;
        this.token = token;
        this.tenantsClaim = tenantsClaim;
    }

    /** Tenants named in the caller's token; empty when the claim is missing or not an array of strings. */
    public List<String> tenants() {
        Object claim = token.getClaim(tenantsClaim);
        if (claim instanceof JsonArray array) {
            return array.stream().filter(value -> value.getValueType() == JsonValue.ValueType.STRING)
                    .map(value -> ((JsonString) value).getString()).toList();
        }
        return List.of();
    }

    public boolean isPlatformAdmin() {
        return identity.hasRole(Roles.PLATFORM_ADMIN);
    }

    /** True if the caller may see the tenant at all: a platform-admin, or the tenant is in its token. */
    public boolean holds(String tenant) {
        return isPlatformAdmin() || tenants().contains(tenant);
    }

    /** The caller's Outpost roles, strongest first. */
    public List<String> roles() {
        return Roles.ALL.stream().filter(identity::hasRole).toList();
    }

    /** 404 unless the caller {@link #holds} the tenant. */
    public void requireVisible(String tenant) {
        if (!holds(tenant)) {
            throw notFound(tenant);
        }
    }

    /** 403 unless the caller is a platform-admin or has one of the roles; check {@link #requireVisible} first. */
    public void requireAnyRole(String tenant, String... roles) {
        if (isPlatformAdmin()) {
            return;
        }
        for (String role : roles) {
            if (identity.hasRole(role)) {
                return;
            }
        }
        throw ProblemException.forbidden("your roles do not allow this on tenant " + tenant);
    }

    /** {@link #requireVisible} then {@link #requireAnyRole}. */
    public void require(String tenant, String... roles) {
        requireVisible(tenant);
        requireAnyRole(tenant, roles);
    }

    /** The caller, for histories and audit ({@code preferred_username}, else the subject). */
    public String caller() {
        String name = token.getClaim("preferred_username");
        return name != null ? name : token.getSubject() != null ? token.getSubject() : identity.getPrincipal().getName();
    }

    /** The answer for a tenant the caller may not see, identical to the one for a tenant that does not exist. */
    public static ProblemException notFound(String tenant) {
        return ProblemException.notFound("tenant " + tenant + " not found");
    }
}
