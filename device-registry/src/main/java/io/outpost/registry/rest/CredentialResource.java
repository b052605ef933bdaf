package io.outpost.registry.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

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

import io.outpost.registry.service.AccessControl;
import io.outpost.registry.service.CredentialService;
import io.outpost.rest.ProblemException;
import io.quarkus.security.Authenticated;

@Path("/api/v1/tenants/{tenant}/devices/{device}/credentials")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Credentials")
public class CredentialResource {
    @Inject
    AccessControl access;
    @Inject
    CredentialService credentials;

    @POST
    @Operation(summary = "Add a secret (generated unless supplied); at most two are active, for rotation (tenant-admin)")
    public Response add(@PathParam("tenant") String tenantId, @PathParam("device") String deviceId,
            CredentialRequest request) {
        access.manageCredentials(tenantId);
        CredentialView created = credentials.add(tenantId, deviceId,
                request == null ? new CredentialRequest(null, null) : request);
        return Response.created(URI.create("/api/v1/tenants/" + tenantId + "/devices/" + deviceId + "/credentials/"
                + created.id())).entity(created).build();
    }

    @GET
    @Operation(summary = "The device's credentials, active and revoked, without secrets (tenant-admin)")
    public List<CredentialView> list(@PathParam("tenant") String tenantId, @PathParam("device") String deviceId) {
        access.manageCredentials(tenantId);
        return credentials.list(tenantId, deviceId);
    }

    @DELETE
    @Path("/{credential}")
    @Operation(summary = "Revoke a credential; the bridge refuses it from then on (tenant-admin)")
    public Response revoke(@PathParam("tenant") String tenantId, @PathParam("device") String deviceId,
            @PathParam("credential") String credentialId) {
        access.manageCredentials(tenantId);
        credentials.revoke(tenantId, deviceId, uuid(credentialId));
        return Response.noContent().build();
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("credential " + id + " not found");
        }
    }
}
