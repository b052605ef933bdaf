package io.outpost.registry.rest;

import java.net.URI;
import java.util.LinkedHashMap;
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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.outpost.registry.Device;
import io.outpost.registry.repository.DeviceQuery;
import io.outpost.registry.repository.DeviceSearch;
import io.outpost.registry.repository.DeviceSort;
import io.outpost.registry.service.AccessControl;
import io.outpost.registry.service.DeviceService;
import io.outpost.rest.Page;
import io.outpost.rest.ProblemException;
import io.quarkus.security.Authenticated;

@Path("/api/v1/tenants/{tenant}/devices")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Devices")
public class DeviceResource {
    @Inject
    AccessControl access;
    @Inject
    DeviceService devices;
    @Inject
    DeviceSearch search;

    @POST
    @Operation(summary = "Create a device, optionally with a first credential (tenant-admin)")
    public Response create(@PathParam("tenant") String tenantId, DeviceRequest request) {
        access.write(tenantId);
        if (request == null) {
            throw ProblemException.invalid("body", "a device is required");
        }
        if (request.credential() != null) {
            access.manageCredentials(tenantId);
        }
        DeviceService.Created created = devices.create(tenantId, request);
        Device device = created.device();
        return Response.created(URI.create("/api/v1/tenants/" + tenantId + "/devices/" + device.deviceId))
                .tag(Versions.etag(device.version))
                .entity(new DeviceCreated(Views.device(device, null), created.credential()))
                .build();
    }

    @GET
    @Operation(summary = "List devices, one page at a time, with filters and a stable cursor")
    public Page<DeviceView> list(@PathParam("tenant") String tenantId,
            @Parameter(description = "Only members of this group") @QueryParam("group") String group,
            @Parameter(description = "Only devices with all these labels: key=value[,key=value...]",
                    example = "site=berlin,model=t800") @QueryParam("labelSelector") String labelSelector,
            @Parameter(description = "online or offline") @QueryParam("status") String status,
            @Parameter(description = "true or false") @QueryParam("enabled") String enabled,
            @Parameter(description = "id, -id, createdAt or -createdAt") @QueryParam("sort") @DefaultValue("id") String sort,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "page size, 1 to 1000") @QueryParam("limit") @DefaultValue("100") String limit) {
        access.read(tenantId);
        DeviceQuery query = new DeviceQuery(tenantId, group, labels(labelSelector),
                either("status", status, "online", "offline"), either("enabled", enabled, "true", "false"),
                DeviceSort.ofParameter(sort).orElseThrow(
                        () -> ProblemException.invalid("sort", "must be one of id, -id, createdAt, -createdAt")),
                cursor, Page.size(limit));
        return page(search, query);
    }

    @GET
    @Path("/{device}")
    @Operation(summary = "One device, with its ETag")
    public Response get(@PathParam("tenant") String tenantId, @PathParam("device") String deviceId) {
        access.read(tenantId);
        Device device = devices.get(tenantId, deviceId);
        return Response.ok(Views.device(device, devices.connection(device))).tag(Versions.etag(device.version)).build();
    }

    @PUT
    @Path("/{device}")
    @Operation(summary = "Replace a device's state (enabled, labels, attributes, groups); If-Match guards lost updates")
    public Response replace(@PathParam("tenant") String tenantId, @PathParam("device") String deviceId,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, DeviceRequest request) {
        access.write(tenantId);
        if (request == null) {
            throw ProblemException.invalid("body", "a device is required");
        }
        Device device = devices.replace(tenantId, deviceId, Versions.ifMatch(ifMatch), request);
        return Response.ok(Views.device(device, devices.connection(device))).tag(Versions.etag(device.version)).build();
    }

    @DELETE
    @Path("/{device}")
    @Operation(summary = "Delete a device; its record on the registry topic becomes a tombstone")
    public Response delete(@PathParam("tenant") String tenantId, @PathParam("device") String deviceId,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        access.write(tenantId);
        devices.delete(tenantId, deviceId, Versions.ifMatch(ifMatch));
        return Response.noContent().build();
    }

    static Page<DeviceView> page(DeviceSearch search, DeviceQuery query) {
        DeviceSearch.Result result;
        try {
            result = search.search(query);
        } catch (DeviceSearch.InvalidCursorException e) {
            throw ProblemException.invalid("cursor", e.getMessage());
        }
        return new Page<>(result.devices(), result.nextCursor());
    }

    /** A two-valued filter: null when absent, true for {@code yes}, false for {@code no}, else 400 naming it. */
    private static Boolean either(String name, String value, String yes, String no) {
        if (value == null) {
            return null;
        }
        if (value.equals(yes) || value.equals(no)) {
            return value.equals(yes);
        }
        throw ProblemException.invalid(name, "must be " + yes + " or " + no);
    }

    private static Map<String, String> labels(String selector) {
        if (selector == null || selector.isBlank()) {
            return Map.of();
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (String term : selector.split(",")) {
            int equals = term.indexOf('=');
            if (equals <= 0) {
                throw ProblemException.invalid("labelSelector", "must be key=value[,key=value...]");
            }
            labels.put(term.substring(0, equals).trim(), term.substring(equals + 1).trim());
        }
        return labels;
    }
}
