package io.outpost.remoteaccess.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.outpost.contracts.RegistryDevice;
import io.outpost.mailbox.Clock;
import io.outpost.remoteaccess.RemoteAccessAccess;
import io.outpost.remoteaccess.policy.EffectivePolicyView;
import io.outpost.remoteaccess.policy.Scope;
import io.outpost.remoteaccess.policy.SwitchRequest;
import io.outpost.remoteaccess.policy.SwitchView;
import io.outpost.remoteaccess.policy.Switches;
import io.outpost.rest.ProblemException;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;

/** The remote-access switches of a tenant's fleet, groups and devices. Thin: checks access, delegates. */
@Path("/api/v1/tenants/{tenant}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "Remote-access switches")
public class SwitchResource {
    @Inject
    RemoteAccessAccess access;
    @Inject
    Switches switches;
    @Inject
    TenantDevices registry;

    @PUT
    @Path("/remote-access/fleet")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Switch remote access for the whole fleet (tenant-admin)",
            description = "On until an end time (at most 7 days ahead) for some ports, or off. Group and device "
                    + "switches override it.")
    public SwitchView setFleet(@PathParam("tenant") String tenant, SwitchRequest request) {
        access.setSwitches(tenant);
        return SwitchView.of(switches.set(tenant, Scope.FLEET, null, request, access.caller()), Clock.now());
    }

    @GET
    @Path("/remote-access/fleet")
    @Operation(summary = "The fleet's switch as set (404 if none: off)")
    public SwitchView fleet(@PathParam("tenant") String tenant) {
        access.read(tenant);
        return view(tenant, Scope.FLEET, null);
    }

    @DELETE
    @Path("/remote-access/fleet")
    @Operation(summary = "Remove the fleet's switch (tenant-admin): off, unless a group or device switch says on")
    public void removeFleet(@PathParam("tenant") String tenant) {
        access.setSwitches(tenant);
        switches.remove(tenant, Scope.FLEET, null, access.caller());
    }

    @PUT
    @Path("/groups/{group}/remote-access")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Switch remote access for a group's members (tenant-admin); overrides the fleet's switch")
    public SwitchView setGroup(@PathParam("tenant") String tenant, @PathParam("group") String group,
            SwitchRequest request) {
        access.setSwitches(tenant);
        registry.requireGroup(tenant, group);
        return SwitchView.of(switches.set(tenant, Scope.GROUP, group, request, access.caller()), Clock.now());
    }

    @GET
    @Path("/groups/{group}/remote-access")
    @Operation(summary = "A group's switch as set (404 if none)")
    public SwitchView group(@PathParam("tenant") String tenant, @PathParam("group") String group) {
        access.read(tenant);
        return view(tenant, Scope.GROUP, group);
    }

    @DELETE
    @Path("/groups/{group}/remote-access")
    @Operation(summary = "Remove a group's switch (tenant-admin)")
    public void removeGroup(@PathParam("tenant") String tenant, @PathParam("group") String group) {
        access.setSwitches(tenant);
        switches.remove(tenant, Scope.GROUP, group, access.caller());
    }

    @PUT
    @Path("/devices/{device}/remote-access")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Switch remote access for one device (tenant-admin); overrides its groups and the fleet",
            description = "A device switched off stays off whatever its groups and the fleet say.")
    public SwitchView setDevice(@PathParam("tenant") String tenant, @PathParam("device") String device,
            SwitchRequest request) {
        access.setSwitches(tenant);
        registry.device(tenant, device);
        return SwitchView.of(switches.set(tenant, Scope.DEVICE, device, request, access.caller()), Clock.now());
    }

    @GET
    @Path("/devices/{device}/remote-access")
    @Operation(summary = "A device's effective policy now, and which switch decided it")
    public EffectivePolicyView effective(@PathParam("tenant") String tenant, @PathParam("device") String device) {
        access.read(tenant);
        RegistryDevice record = registry.device(tenant, device);
        return EffectivePolicyView.of(device, switches.effective(record, Clock.now()));
    }

    @GET
    @Path("/devices/{device}/remote-access/switch")
    @Operation(summary = "The device's own switch as set (404 if none)")
    public SwitchView deviceSwitch(@PathParam("tenant") String tenant, @PathParam("device") String device) {
        access.read(tenant);
        return view(tenant, Scope.DEVICE, device);
    }

    @DELETE
    @Path("/devices/{device}/remote-access")
    @Operation(summary = "Remove a device's switch (tenant-admin): its groups and the fleet decide again")
    public void removeDevice(@PathParam("tenant") String tenant, @PathParam("device") String device) {
        access.setSwitches(tenant);
        switches.remove(tenant, Scope.DEVICE, device, access.caller());
    }

    private SwitchView view(String tenant, Scope scope, String target) {
        return switches.find(tenant, scope, target).map(set -> SwitchView.of(set, Clock.now()))
                .orElseThrow(() -> ProblemException.notFound("no remote-access switch is set there: off, unless "
                        + "another level says on"));
    }
}
