package io.outpost.notification.rest;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.outpost.contracts.Identifiers;
import io.outpost.contracts.RegistryDevice;
import io.outpost.notification.Notification;
import io.outpost.notification.NotificationState;
import io.outpost.notification.Target;
import io.outpost.notification.repository.NotificationSearch;
import io.outpost.notification.service.NotificationAccess;
import io.outpost.notification.service.NotificationService;
import io.outpost.notification.service.NotificationValidator;
import io.outpost.notification.service.NotificationViews;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.rest.EnumFilter;
import io.outpost.rest.FieldError;
import io.outpost.rest.IdempotencyKeys;
import io.outpost.rest.Page;
import io.outpost.rest.Problem;
import io.outpost.rest.ProblemException;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;

/** The notification API of one tenant: send, read, list, revoke. Thin: checks access, maps, delegates. */
@Path("/api/v1/tenants/{tenant}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "Notifications")
public class NotificationResource {
    @Inject
    NotificationAccess access;
    @Inject
    NotificationValidator validator;
    @Inject
    NotificationService notifications;
    @Inject
    NotificationViews views;
    @Inject
    NotificationSearch search;
    @Inject
    DeviceDirectory devices;

    @POST
    @Path("/notifications")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send a notification to a device, a group or the whole fleet (tenant-operator, tenant-admin)",
            description = "One-way, with a ttl (default 24h, at most 7d). Members online now get it at once, on any "
                    + "bridge node; the others when they next connect, unless it expired or was revoked first. A group"
                    + " or fleet notification is one message however many members: membership is evaluated at "
                    + "delivery. An Idempotency-Key (scoped to the tenant) makes a retry return the same notification.")
    @APIResponse(responseCode = "202", description = "Accepted; Location names the notification",
            content = @Content(schema = @Schema(implementation = NotificationView.class)))
    @APIResponse(responseCode = "200", description = "A replay of an earlier POST with the same Idempotency-Key",
            content = @Content(schema = @Schema(implementation = NotificationView.class)))
    @APIResponse(responseCode = "400", description = "Fields are invalid (each named in errors)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown tenant (or not yours), device or group",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The Idempotency-Key was used for another notification",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "The device's mailbox is full (device notifications)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response send(@PathParam("tenant") String tenant,
            @Parameter(description = "Makes a retried POST return the same notification; scoped to the tenant")
            @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey,
            NotificationRequest request) {
        access.send(tenant);
        String key = IdempotencyKeys.read(idempotencyKey);
        NotificationService.Sent sent = notifications.send(tenant, validator.validate(request), key, access.caller());
        Response.ResponseBuilder response = Response.status(sent.replayed() ? Response.Status.OK : Response.Status.ACCEPTED)
                .location(URI.create("/api/v1/tenants/" + tenant + "/notifications/" + sent.notification().id))
                .entity(views.detail(sent.notification()));
        if (sent.replayed()) {
            response.header(IdempotencyKeys.REPLAYED, "true");
        }
        return response.build();
    }

    @GET
    @Path("/notifications/{id}")
    @Operation(summary = "One notification with its progress (tenant-viewer and above)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = NotificationView.class)))
    @APIResponse(responseCode = "404", description = "Unknown tenant (or not yours) or notification",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public NotificationView get(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        access.read(tenant);
        return views.detail(notifications.find(tenant, id));
    }

    @GET
    @Path("/notifications")
    @Operation(summary = "The tenant's notifications, newest first, one page at a time (tenant-viewer and above)")
    public Page<NotificationView> list(@PathParam("tenant") String tenant,
            @Parameter(description = "Only this target: device:{id}, group:{id} or fleet") @QueryParam("target") String target,
            @Parameter(description = "Only these states, comma-separated", example = "ACTIVE,FINISHED") @QueryParam("state") String state,
            @Parameter(description = "Created at or after this instant (ISO-8601)") @QueryParam("since") String since,
            @Parameter(description = "Created before this instant (ISO-8601)") @QueryParam("until") String until,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "page size, 1 to 1000") @QueryParam("limit") @DefaultValue("100") String limit) {
        access.read(tenant);
        List<FieldError> errors = new ArrayList<>();
        NotificationSearch.Query query = new NotificationSearch.Query(tenant, target(target, errors),
                EnumFilter.parse(state, NotificationState.class, "state", errors), instant("since", since, errors), instant("until", until, errors), cursor,
                Page.size(limit));
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        NotificationSearch.Result<Notification> result = search.search(query);
        return new Page<>(result.items().stream().map(views::detail).toList(), result.nextCursor());
    }

    @GET
    @Path("/devices/{device}/notifications")
    @Operation(summary = "What the device got or will get, newest first, with when it got each (tenant-viewer and above)")
    @APIResponse(responseCode = "404", description = "Unknown tenant (or not yours) or device",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Page<NotificationView> listForDevice(@PathParam("tenant") String tenant,
            @PathParam("device") String device,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "page size, 1 to 1000") @QueryParam("limit") @DefaultValue("100") String limit) {
        access.read(tenant);
        if (!devices.caughtUp()) {
            throw ProblemException.registryLoading();
        }
        RegistryDevice record = devices.find(tenant + Identifiers.KEY_SEPARATOR + device)
                .orElseThrow(() -> ProblemException.notFound("device " + device + " not found"));
        NotificationSearch.Result<NotificationSearch.ForDevice> result = search.forDevice(tenant, device,
                record.createdAt(), record.groups() == null ? List.of() : record.groups(), cursor, Page.size(limit));
        return new Page<>(result.items().stream()
                .map(item -> views.forDevice(item.notification(), item.deliveredAt())).toList(), result.nextCursor());
    }

    @DELETE
    @Path("/notifications/{id}")
    @Operation(summary = "Revoke: nothing more is delivered, on any node (tenant-operator, tenant-admin)",
            description = "Revoking a revoked notification answers the same. A copy already sent to a device and not "
                    + "yet acknowledged cannot be recalled.")
    @APIResponse(responseCode = "200", description = "Revoked",
            content = @Content(schema = @Schema(implementation = NotificationView.class)))
    @APIResponse(responseCode = "409", description = "It has expired",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public NotificationView revoke(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        access.send(tenant);
        return views.detail(notifications.revoke(tenant, id, access.caller()));
    }

    private static Target target(String text, List<FieldError> errors) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Target target = Target.parse(text.trim());
        if (target == null) {
            errors.add(new FieldError("target", "must be device:{id}, group:{id} or fleet"));
        }
        return target;
    }


    private static Instant instant(String field, String text, List<FieldError> errors) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an ISO-8601 instant such as 2026-11-30T12:00:00Z"));
            return null;
        }
    }
}
