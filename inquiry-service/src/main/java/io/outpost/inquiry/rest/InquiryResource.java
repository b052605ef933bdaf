package io.outpost.inquiry.rest;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.InquiryAnswerType;
import io.outpost.inquiry.InquiryState;
import io.outpost.inquiry.config.InquiryConfig;
import io.outpost.inquiry.repository.InquirySearch;
import io.outpost.inquiry.service.Answer;
import io.outpost.inquiry.service.InquiryAccess;
import io.outpost.inquiry.service.InquiryAnswers;
import io.outpost.rest.Durations;
import io.outpost.rest.EnumFilter;
import io.outpost.rest.FieldError;
import io.outpost.rest.MessageBody;
import io.outpost.rest.Page;
import io.outpost.rest.Problem;
import io.outpost.rest.ProblemException;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;

/** The inquiry API of one tenant for product teams and backends: read, list, answer, end. */
@Path("/api/v1/tenants/{tenant}/inquiries")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "Inquiries")
public class InquiryResource {
    @Inject
    InquiryAccess access;
    @Inject
    InquiryAnswers answers;
    @Inject
    InquirySearch search;
    @Inject
    InquiryConfig config;
    @Inject
    ObjectMapper json;

    @GET
    @Path("/{id}")
    @Operation(summary = "One inquiry (tenant-viewer and above)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = InquiryView.class)))
    @APIResponse(responseCode = "404", description = "Unknown tenant (or not yours) or inquiry",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public InquiryView get(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        access.read(tenant);
        return InquiryView.of(answers.find(tenant, id), json);
    }

    @GET
    @Operation(summary = "The tenant's inquiries, newest first, one page at a time (tenant-viewer and above)")
    public Page<InquiryView> list(@PathParam("tenant") String tenant,
            @Parameter(description = "Only this device's") @QueryParam("device") String device,
            @Parameter(description = "Only this inquiry name") @QueryParam("name") String name,
            @Parameter(description = "Only the inquiry with this request id (with device)") @QueryParam("requestId") String requestId,
            @Parameter(description = "Only these states, comma-separated", example = "OPEN,STREAMING") @QueryParam("state") String state,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "page size, 1 to 1000") @QueryParam("limit") @DefaultValue("100") String limit) {
        access.read(tenant);
        List<FieldError> errors = new ArrayList<>();
        Set<InquiryState> states = EnumFilter.parse(state, InquiryState.class, "state", errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        InquirySearch.Result result = search.search(new InquirySearch.Query(tenant, blankToNull(device),
                blankToNull(name), blankToNull(requestId), states, cursor, Page.size(limit)));
        return new Page<>(result.items().stream().map(inquiry -> InquiryView.of(inquiry, json)).toList(),
                result.nextCursor());
    }

    @POST
    @Path("/{id}/answers")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Answer an open inquiry (tenant-operator, tenant-admin)",
            description = "The answer goes through the device's mailbox: at once if it is online, when it reconnects "
                    + "otherwise, unless its ttl passes first. A one-shot inquiry's answer is its last; a continuing "
                    + "one takes answers until one is last, the device cancels, it is ended or its lifetime ends.")
    @APIResponse(responseCode = "202", description = "Accepted; the inquiry as it stands now",
            content = @Content(schema = @Schema(implementation = InquiryView.class)))
    @APIResponse(responseCode = "400", description = "Fields are invalid (each named in errors)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown tenant (or not yours) or inquiry",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The inquiry ended: it takes no more answers",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "The device's mailbox is full",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response answer(@PathParam("tenant") String tenant, @PathParam("id") String id, AnswerRequest request) {
        access.answer(tenant);
        Answer answer = validate(request, access.caller());
        return Response.accepted(InquiryView.of(answers.answer(tenant, id, answer), json))
                .location(URI.create("/api/v1/tenants/" + tenant + "/inquiries/" + id)).build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "End an open inquiry: the device gets a last answer saying so (tenant-operator, tenant-admin)")
    @APIResponse(responseCode = "200", description = "Ended", content = @Content(schema = @Schema(implementation = InquiryView.class)))
    @APIResponse(responseCode = "409", description = "It had ended already",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public InquiryView end(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        access.answer(tenant);
        return InquiryView.of(answers.end(tenant, id, access.caller()), json);
    }

    private Answer validate(AnswerRequest request, String caller) {
        if (request == null) {
            throw ProblemException.invalid("body", "an answer is required");
        }
        List<FieldError> errors = new ArrayList<>();
        MessageBody.Parsed body = MessageBody.read(request.payload(), request.payloadBase64(), request.contentType(),
                config.maxPayloadBytes(), json, errors);
        Duration ttl = Durations.field("ttl", request.ttl(), null, config.maxLifetime(), errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new Answer(Boolean.TRUE.equals(request.last()) ? InquiryAnswerType.LAST : InquiryAnswerType.ANSWER,
                body.contentType(), body.payload(), ttl, request.latestOnly(), caller);
    }


    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
