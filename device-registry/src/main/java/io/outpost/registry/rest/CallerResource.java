package io.outpost.registry.rest;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import io.outpost.registry.service.AccessControl;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

/** Lets a caller check what its token grants before calling anything else (like AWS STS get-caller-identity). */
@Path("/api/v1/me")
@Authenticated
@SecurityRequirement(name = "SecurityScheme")
public class CallerResource {
    private static final List<String> OUTPOST_ROLES = List.of(AccessControl.PLATFORM_ADMIN, AccessControl.TENANT_ADMIN,
            AccessControl.TENANT_OPERATOR, AccessControl.TENANT_VIEWER);

    @Inject
    SecurityIdentity identity;
    @Inject
    JsonWebToken token;
    @Inject
    AccessControl access;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's identity, tenants and roles, from its bearer token")
    public Caller me() {
        List<String> roles = OUTPOST_ROLES.stream().filter(identity::hasRole).toList();
        return new Caller(token.getSubject(), access.tenants(), roles);
    }
}
