package io.outpost.inquiry.rest;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.outpost.inquiry.service.HandlerService;
import io.outpost.inquiry.service.InquiryAccess;
import io.outpost.rest.Problem;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;

/** The tenant's inquiry handlers, per inquiry name (tenant-admin only). */
@Path("/api/v1/tenants/{tenant}/inquiry-handlers")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "Inquiry handlers")
public class HandlerResource {
    @Inject
    InquiryAccess access;
    @Inject
    HandlerService handlers;

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create or replace the handler of an inquiry name (tenant-admin)",
            description = "A webhook gets every inquiry of this name POSTed, signed with its secret; a kafka handler "
                    + "means the tenant's backends read outpost.inquiries.v1 themselves. The secret is in this "
                    + "response only.")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = HandlerView.class)))
    @APIResponse(responseCode = "200", description = "Replaced", content = @Content(schema = @Schema(implementation = HandlerView.class)))
    @APIResponse(responseCode = "400", description = "Fields are invalid (each named in errors)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response put(@PathParam("tenant") String tenant, @PathParam("name") String name, HandlerRequest request) {
        access.manageHandlers(tenant);
        HandlerService.Saved saved = handlers.put(tenant, name, request, access.caller());
        return Response.status(saved.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(HandlerView.of(saved.handler(), saved.shownSecret())).build();
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "One handler, without its secret (tenant-admin)")
    @APIResponse(responseCode = "404", description = "No handler of this name, or not your tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HandlerView get(@PathParam("tenant") String tenant, @PathParam("name") String name) {
        access.manageHandlers(tenant);
        return HandlerView.of(handlers.get(tenant, name), null);
    }

    @GET
    @Operation(summary = "The tenant's handlers, by name, without secrets (tenant-admin)")
    public List<HandlerView> list(@PathParam("tenant") String tenant) {
        access.manageHandlers(tenant);
        return handlers.list(tenant).stream().map(handler -> HandlerView.of(handler, null)).toList();
    }

    @DELETE
    @Path("/{name}")
    @Operation(summary = "Remove the handler: inquiries of this name opened from now on get a \"no handler\" error "
            + "(tenant-admin)")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "No handler of this name, or not your tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response delete(@PathParam("tenant") String tenant, @PathParam("name") String name) {
        access.manageHandlers(tenant);
        handlers.delete(tenant, name);
        return Response.noContent().build();
    }
}
