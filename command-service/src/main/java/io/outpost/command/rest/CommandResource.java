package io.outpost.command.rest;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

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

import io.outpost.command.CommandStates;
import io.outpost.command.repository.CommandSearch;
import io.outpost.command.service.CommandAccess;
import io.outpost.command.service.CommandIntake;
import io.outpost.command.service.CommandService;
import io.outpost.command.service.CommandValidator;
import io.outpost.command.service.CommandViews;
import io.outpost.command.service.CommandWaiters;
import io.outpost.command.service.ValidCommand;
import io.outpost.contracts.CommandState;
import io.outpost.rest.EnumFilter;
import io.outpost.rest.FieldError;
import io.outpost.rest.IdempotencyKeys;
import io.outpost.rest.Page;
import io.outpost.rest.Problem;
import io.outpost.rest.ProblemException;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/** The command API of one tenant: send to a device, read, list, cancel. Thin: checks access, maps, delegates. */
@Path("/api/v1/tenants/{tenant}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Commands")
public class CommandResource {

    @Inject
    CommandAccess access;
    @Inject
    CommandValidator validator;
    @Inject
    CommandService commands;
    @Inject
    CommandViews views;
    @Inject
    CommandSearch search;
    @Inject
    CommandWaiters waiters;

    @POST
    @Path("/devices/{device}/commands")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Send a command to a device (tenant-operator, tenant-admin)",
            description = "Stores the command in the device's mailbox and publishes it; it reaches the device now if it "
                    + "is connected, else when it next connects, unless its ttl ends first. 202 while the command is "
                    + "not final, 200 once it is (with wait). An Idempotency-Key makes a retry return the same command.")
    @APIResponse(responseCode = "202", description = "Accepted, not final yet; Location names the command",
            content = @Content(schema = @Schema(implementation = CommandView.class)))
    @APIResponse(responseCode = "200", description = "Final (within wait), or a replay of a finished command",
            content = @Content(schema = @Schema(implementation = CommandView.class)))
    @APIResponse(responseCode = "400", description = "A field is invalid (named in errors)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown tenant (or not yours) or device",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Disabled device, or the Idempotency-Key was used for another request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "The device's mailbox is full",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> send(@PathParam("tenant") String tenant, @PathParam("device") String device,
            @Parameter(description = "Hold the request until the command is final, at most this long (e.g. 30s; at most 60s)")
            @QueryParam("wait") String wait,
            @Parameter(description = "Makes a retried POST return the same command; scoped to the device")
            @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey,
            CommandRequest request) {
        access.send(tenant);
        Duration waitFor = validator.waitFor(wait);
        String key = IdempotencyKeys.read(idempotencyKey);
        ValidCommand command = validator.validate(request);
        CommandService.Submitted submitted = commands.submit(tenant, device, command, key, access.caller());
        String id = submitted.command().id;
        if (waitFor.isZero() && !submitted.replayed()) {
            return Uni.createFrom().item(accepted(tenant, views.accepted(submitted.command(), command,
                    CommandIntake.acceptedReason(access.caller()))));
        }
        if (waitFor.isZero() || CommandStates.isFinal(submitted.command().state)) {
            return Uni.createFrom().item(respond(tenant, id, submitted.replayed()));
        }
        CompletableFuture<Void> signal = waiters.register(id);
        if (CommandStates.isFinal(commands.state(id))) {
            // It became final between the POST's commit and the registration.
            signal.complete(null);
        }
        return Uni.createFrom().completionStage(signal)
                .ifNoItem().after(waitFor).recoverWithItem((Void) null)
                // The state is read again from the database, off the thread that completed the signal.
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(ignored -> respond(tenant, id, submitted.replayed()))
                .onTermination().invoke(() -> waiters.release(id, signal));
    }

    @GET
    @Path("/devices/{device}/commands")
    @Operation(summary = "The device's commands, newest first, one page at a time (tenant-viewer and above)")
    public Page<CommandView> listForDevice(@PathParam("tenant") String tenant, @PathParam("device") String device,
            @Parameter(description = "Only these states, comma-separated", example = "PENDING,DELIVERED") @QueryParam("state") String state,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "page size, 1 to 1000") @QueryParam("limit") @DefaultValue("100") String limit) {
        access.read(tenant);
        return page(new CommandSearch.Query(tenant, device, states(state), cursor, Page.size(limit)));
    }

    @GET
    @Path("/commands")
    @Operation(summary = "The tenant's commands, newest first, one page at a time (tenant-viewer and above)")
    public Page<CommandView> list(@PathParam("tenant") String tenant,
            @Parameter(description = "Only these states, comma-separated", example = "PENDING") @QueryParam("state") String state,
            @Parameter(description = "Only this device's") @QueryParam("device") String device,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "page size, 1 to 1000") @QueryParam("limit") @DefaultValue("100") String limit) {
        access.read(tenant);
        return page(new CommandSearch.Query(tenant, device, states(state), cursor, Page.size(limit)));
    }

    @GET
    @Path("/commands/{id}")
    @Operation(summary = "One command: state, history, payload and the device's result (tenant-viewer and above)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CommandView.class)))
    @APIResponse(responseCode = "404", description = "Unknown tenant (or not yours) or command",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CommandView get(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        access.read(tenant);
        return views.detail(tenant, id);
    }

    @DELETE
    @Path("/commands/{id}")
    @Operation(summary = "Cancel a PENDING command; it is never sent again (tenant-operator, tenant-admin)")
    @APIResponse(responseCode = "200", description = "Cancelled",
            content = @Content(schema = @Schema(implementation = CommandView.class)))
    @APIResponse(responseCode = "409", description = "Not PENDING any more (delivered, or final)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CommandView cancel(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        access.send(tenant);
        commands.cancel(tenant, id, access.caller());
        return views.detail(tenant, id);
    }

    private Response respond(String tenant, String id, boolean replayed) {
        Response.ResponseBuilder response = respond(tenant, views.detail(tenant, id));
        if (replayed) {
            response.header(IdempotencyKeys.REPLAYED, "true");
        }
        return response.build();
    }

    private Response accepted(String tenant, CommandView view) {
        return respond(tenant, view).build();
    }

    private static Response.ResponseBuilder respond(String tenant, CommandView view) {
        return Response
                .status(CommandStates.isFinal(view.state()) ? Response.Status.OK : Response.Status.ACCEPTED)
                .location(URI.create("/api/v1/tenants/" + tenant + "/commands/" + view.id()))
                .entity(view);
    }

    private static Set<CommandState> states(String parameter) {
        List<FieldError> errors = new ArrayList<>();
        Set<CommandState> states = EnumFilter.parse(parameter, CommandState.class, "state", errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return states;
    }

    private Page<CommandView> page(CommandSearch.Query query) {
        CommandSearch.Result result = search.search(query);
        return new Page<>(result.commands().stream().map(views::summary).toList(), result.nextCursor());
    }
}
