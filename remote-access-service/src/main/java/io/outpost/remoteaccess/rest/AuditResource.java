package io.outpost.remoteaccess.rest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.outpost.contracts.RemoteAccessEvent;
import io.outpost.contracts.RemoteAccessEventType;
import io.outpost.remoteaccess.RemoteAccessAccess;
import io.outpost.remoteaccess.audit.AuditSearch;
import io.outpost.rest.EnumFilter;
import io.outpost.rest.FieldError;
import io.outpost.rest.Page;
import io.outpost.rest.ProblemException;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;

/** The audit of remote access: every switch and every tunnel, as published on outpost.remote-access-events.v1. */
@Path("/api/v1/tenants/{tenant}/remote-access/audit")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "Remote-access audit")
public class AuditResource {
    @Inject
    RemoteAccessAccess access;
    @Inject
    AuditSearch search;

    @GET
    @Operation(summary = "Remote-access events of the tenant, newest first",
            description = "Filters: device, tunnel, type (comma-separated: SWITCH_SET, SWITCH_REMOVED, "
                    + "TUNNEL_REQUESTED, TUNNEL_CONNECTED, TUNNEL_CLOSED), from and to (ISO-8601 instants).")
    public Page<RemoteAccessEvent> audit(@PathParam("tenant") String tenant, @QueryParam("device") String device,
            @QueryParam("tunnel") String tunnel, @QueryParam("type") String type, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        access.read(tenant);
        List<FieldError> errors = new ArrayList<>();
        Set<RemoteAccessEventType> types = EnumFilter.parse(type, RemoteAccessEventType.class, "type", errors);
        AuditSearch.Filter filter = new AuditSearch.Filter(device, tunnel, types, instant("from", from, errors),
                instant("to", to, errors));
        Long before = cursor(cursor, errors);
        int size = Page.size(limit);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        List<AuditSearch.Row> rows = search.search(tenant, filter, before, size);
        List<RemoteAccessEvent> events = rows.stream().limit(size).map(AuditSearch.Row::event).toList();
        String next = rows.size() > size ? Long.toString(rows.get(size - 1).seq()) : null;
        return new Page<>(events, next);
    }

    private static Instant instant(String field, String text, List<FieldError> errors) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an ISO-8601 instant such as 2026-12-01T10:00:00Z"));
            return null;
        }
    }

    private static Long cursor(String text, List<FieldError> errors) {
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            errors.add(new FieldError("cursor", "is not valid; start again without one"));
            return null;
        }
    }
}
