package io.outpost.registry.rest;

import java.net.URI;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.outpost.registry.Tenant;
import io.outpost.registry.service.AccessControl;
import io.outpost.registry.service.TenantService;
import io.quarkus.security.Authenticated;

@Path("/api/v1/tenants")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Tenants")
public class TenantResource {
    @Inject
    AccessControl access;
    @Inject
    TenantService tenants;

    @POST
    @Operation(summary = "Create a tenant (platform-admin)")
    public Response create(TenantRequest request) {
        access.requirePlatformAdmin();
        Tenant tenant = tenants.create(request);
        return Response.created(URI.create("/api/v1/tenants/" + tenant.id)).entity(Views.tenant(tenant)).build();
    }

    @GET
    @Operation(summary = "The tenants the caller may see: all for a platform-admin, else those of its token")
    public List<TenantView> list() {
        return tenants.list(access.tenants(), access.isPlatformAdmin()).stream().map(Views::tenant).toList();
    }

    @GET
    @Path("/{tenant}")
    @Operation(summary = "One tenant")
    public TenantView get(@PathParam("tenant") String tenantId) {
        return Views.tenant(access.read(tenantId));
    }

    @DELETE
    @Path("/{tenant}")
    @Operation(summary = "Delete a tenant with all its devices and groups (platform-admin)")
    public Response delete(@PathParam("tenant") String tenantId) {
        access.read(tenantId);
        access.requirePlatformAdmin();
        tenants.delete(tenantId);
        return Response.noContent().build();
    }
}
