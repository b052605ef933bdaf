package io.outpost.registry.rest;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.outpost.registry.DeviceGroup;
import io.outpost.registry.repository.DeviceQuery;
import io.outpost.registry.repository.DeviceSearch;
import io.outpost.registry.repository.DeviceSort;
import io.outpost.registry.service.AccessControl;
import io.outpost.registry.service.GroupService;
import io.outpost.rest.Page;
import io.outpost.rest.ProblemException;
import io.quarkus.security.Authenticated;

@Path("/api/v1/tenants/{tenant}/groups")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Groups")
public class GroupResource {
    @Inject
    AccessControl access;
    @Inject
    GroupService groups;
    @Inject
    DeviceSearch search;

    @POST
    @Operation(summary = "Create a group (tenant-admin)")
    public Response create(@PathParam("tenant") String tenantId, GroupRequest request) {
        access.write(tenantId);
        if (request == null) {
            throw ProblemException.invalid("body", "a group is required");
        }
        DeviceGroup group = groups.create(tenantId, request);
        return Response.created(URI.create("/api/v1/tenants/" + tenantId + "/groups/" + group.groupId))
                .tag(Versions.etag(group.version)).entity(Views.group(group, 0)).build();
    }

    @GET
    @Operation(summary = "All groups of the tenant")
    public List<GroupView> list(@PathParam("tenant") String tenantId) {
        access.read(tenantId);
        Map<String, Long> members = groups.memberCounts(tenantId);
        return groups.list(tenantId).stream()
                .map(group -> Views.group(group, members.getOrDefault(group.groupId, 0L))).toList();
    }

    @GET
    @Path("/{group}")
    @Operation(summary = "One group, with its member count and ETag")
    public Response get(@PathParam("tenant") String tenantId, @PathParam("group") String groupId) {
        access.read(tenantId);
        DeviceGroup group = groups.get(tenantId, groupId);
        return Response.ok(Views.group(group, groups.memberCount(group))).tag(Versions.etag(group.version)).build();
    }

    @PUT
    @Path("/{group}")
    @Operation(summary = "Replace a group's name and description (tenant-admin)")
    public Response replace(@PathParam("tenant") String tenantId, @PathParam("group") String groupId,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, GroupRequest request) {
        access.write(tenantId);
        if (request == null) {
            throw ProblemException.invalid("body", "a group is required");
        }
        DeviceGroup group = groups.replace(tenantId, groupId, Versions.ifMatch(ifMatch), request);
        return Response.ok(Views.group(group, groups.memberCount(group))).tag(Versions.etag(group.version)).build();
    }

    @DELETE
    @Path("/{group}")
    @Operation(summary = "Delete a group; its devices stay and leave it (tenant-admin)")
    public Response delete(@PathParam("tenant") String tenantId, @PathParam("group") String groupId,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        access.write(tenantId);
        groups.delete(tenantId, groupId, Versions.ifMatch(ifMatch));
        return Response.noContent().build();
    }

    @GET
    @Path("/{group}/members")
    @Operation(summary = "The group's devices, paged like the device list")
    public Page<DeviceView> members(@PathParam("tenant") String tenantId, @PathParam("group") String groupId,
            @QueryParam("cursor") String cursor, @QueryParam("limit") @DefaultValue("100") String limit) {
        access.read(tenantId);
        groups.get(tenantId, groupId);
        return DeviceResource.page(search, new DeviceQuery(tenantId, groupId, Map.of(), null, null, DeviceSort.ID,
                cursor, Page.size(limit)));
    }

    @PUT
    @Path("/{group}/members/{device}")
    @Operation(summary = "Add a device to the group; adding it again is harmless (tenant-admin)")
    public Response addMember(@PathParam("tenant") String tenantId, @PathParam("group") String groupId,
            @PathParam("device") String deviceId) {
        access.write(tenantId);
        groups.addMember(tenantId, groupId, deviceId);
        return Response.noContent().build();
    }

    @DELETE
    @Path("/{group}/members/{device}")
    @Operation(summary = "Remove a device from the group (tenant-admin)")
    public Response removeMember(@PathParam("tenant") String tenantId, @PathParam("group") String groupId,
            @PathParam("device") String deviceId) {
        access.write(tenantId);
        groups.removeMember(tenantId, groupId, deviceId);
        return Response.noContent().build();
    }
}
