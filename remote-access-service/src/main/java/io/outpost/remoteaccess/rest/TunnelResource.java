package io.outpost.remoteaccess.rest;

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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.outpost.contracts.RegistryDevice;
import io.outpost.remoteaccess.RemoteAccessAccess;
import io.outpost.remoteaccess.tunnel.Tunnel;
import io.outpost.remoteaccess.tunnel.TunnelRequest;
import io.outpost.remoteaccess.tunnel.TunnelRequests;
import io.outpost.remoteaccess.tunnel.TunnelView;
import io.outpost.rest.Page;
import io.outpost.rest.Problem;
import io.outpost.rest.ProblemException;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;

/** Tunnels into a tenant's devices: open, list, read, close. */
@Path("/api/v1/tenants/{tenant}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "Tunnels")
public class TunnelResource {
    @Inject
    RemoteAccessAccess access;
    @Inject
    TunnelRequests requests;
    @Inject
    TenantDevices registry;

    @POST
    @Path("/devices/{device}/tunnels")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Open a tunnel to a port of the device (tenant-operator, tenant-admin)",
            description = "The device's effective policy must allow the port. The answer holds the relay URL of the "
                    + "operator's side and its single-use token (valid 30 s); the device is told over MQTT and "
                    + "connects its side. Protocol: docs/remote-access.md.")
    @APIResponse(responseCode = "201", description = "Opening; connect to operatorUrl with operatorToken",
            content = @Content(schema = @Schema(implementation = TunnelView.class)))
    @APIResponse(responseCode = "403", description = "The policy is off for the device or does not allow the port",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown tenant (or not yours) or device",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response open(@PathParam("tenant") String tenant, @PathParam("device") String device,
            TunnelRequest request) {
        access.useTunnels(tenant);
        RegistryDevice record = registry.device(tenant, device);
        TunnelView opened = requests.open(record, request, access.caller());
        return Response.created(URI.create("/api/v1/tenants/" + tenant + "/tunnels/" + opened.id()))
                .entity(opened).build();
    }

    @GET
    @Path("/devices/{device}/tunnels")
    @Operation(summary = "The device's tunnels, open and past, newest first")
    public Page<TunnelView> ofDevice(@PathParam("tenant") String tenant, @PathParam("device") String device,
            @QueryParam("limit") String limit) {
        access.read(tenant);
        List<TunnelView> tunnels = Tunnel.ofDevice(tenant, device, Page.size(limit)).stream().map(TunnelView::of)
                .toList();
        return new Page<>(tunnels, null);
    }

    @GET
    @Path("/tunnels/{id}")
    @Operation(summary = "One tunnel")
    public TunnelView one(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        access.read(tenant);
        return TunnelView.of(find(tenant, id));
    }

    @DELETE
    @Path("/tunnels/{id}")
    @Operation(summary = "Close a tunnel (tenant-operator, tenant-admin); both sides close within a second")
    public TunnelView close(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        access.useTunnels(tenant);
        return TunnelView.of(requests.close(tenant, id, access.caller()));
    }

    private static Tunnel find(String tenant, String id) {
        Tunnel tunnel = Tunnel.findById(id);
        if (tunnel == null || !tunnel.tenantId.equals(tenant)) {
            throw ProblemException.notFound("no tunnel " + id);
        }
        return tunnel;
    }
}
