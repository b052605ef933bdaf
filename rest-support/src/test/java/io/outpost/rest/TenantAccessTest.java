package io.outpost.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.json.Json;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

class TenantAccessTest {

    @Test
    void foreignTenantIsNotFoundAndWeakRoleIsForbidden() {
        // given an operator of acme
        TenantAccess access = access(Map.of("tenants", Json.createArrayBuilder().add("acme").build()), "tenant-operator");
        // when / then
        assertEquals(404, assertThrows(ProblemException.class, () -> access.require("globex", Roles.TENANT_VIEWER))
                .status());
        assertEquals(403, assertThrows(ProblemException.class, () -> access.require("acme", Roles.TENANT_ADMIN))
                .status());
        access.require("acme", Roles.TENANT_ADMIN, Roles.TENANT_OPERATOR);
    }

    @Test
    void notFoundForAForeignTenantReadsLikeAMissingOne() {
        TenantAccess access = access(Map.of(), "tenant-admin");
        ProblemException e = assertThrows(ProblemException.class, () -> access.requireVisible("globex"));
        assertEquals(TenantAccess.notFound("globex").getMessage(), e.getMessage());
    }

    @Test
    void platformAdminHoldsEveryTenantWithEveryRole() {
        TenantAccess access = access(Map.of(), "platform-admin");
        assertTrue(access.holds("anything"));
        access.require("anything", Roles.TENANT_ADMIN);
    }

    @Test
    void claimNameIsConfigurableAndMalformedClaimsGrantNothing() {
        TenantAccess custom = new TenantAccess(identity("tenant-viewer"),
                token(Map.of("orgs", Json.createArrayBuilder().add("acme").add(7).build())), "orgs");
        assertEquals(List.of("acme"), custom.tenants());
        TenantAccess wrongShape = new TenantAccess(identity("tenant-viewer"),
                token(Map.of("tenants", Json.createValue("acme"))), "tenants");
        assertEquals(List.of(), wrongShape.tenants());
        assertFalse(wrongShape.holds("acme"));
    }

    @Test
    void rolesListsOnlyOutpostRoles() {
        TenantAccess access = access(Map.of(), "offline_access", "tenant-viewer");
        assertEquals(List.of("tenant-viewer"), access.roles());
    }

    private static TenantAccess access(Map<String, Object> claims, String... roles) {
        return new TenantAccess(identity(roles), token(claims), "tenants");
    }

    private static QuarkusSecurityIdentity identity(String... roles) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("someone"))
                .addRoles(Set.of(roles)).build();
    }

    private static JsonWebToken token(Map<String, Object> claims) {
        return new JsonWebToken() {
            @Override
            public String getName() {
                return "someone";
            }

            @Override
            public Set<String> getClaimNames() {
                return claims.keySet();
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String name) {
                return (T) claims.get(name);
            }
        };
    }
}
