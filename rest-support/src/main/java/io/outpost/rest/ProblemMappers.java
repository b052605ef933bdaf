package io.outpost.rest;

import java.util.List;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns the errors every Outpost REST API can raise into problem+json: {@link ProblemException}, unreadable JSON and
 * JAX-RS' own exceptions. A service maps its persistence or validation exceptions in a mapper of its own, with
 * {@link #respond}.
 */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.status(), e.title(), e.getMessage(), e.errors(), uri);
    }

    /** Listed explicitly: Quarkus's own mappers for these subtypes would otherwise answer plain JSON. */
    @ServerExceptionMapper({ JsonProcessingException.class, JsonParseException.class, MismatchedInputException.class,
            InvalidFormatException.class, UnrecognizedPropertyException.class })
    public Response invalidJson(JsonProcessingException e, UriInfo uri) {
        String field = e instanceof JsonMappingException mapping ? JsonPaths.of(mapping) : "";
        String detail = e instanceof UnrecognizedPropertyException ? "unknown field" : e.getOriginalMessage();
        return respond(400, "Malformed JSON", detail, field.isEmpty() ? List.of() : List.of(new FieldError(field, detail)), uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        Response response = e.getResponse();
        return respond(response.getStatus(), response.getStatusInfo().getReasonPhrase(), e.getMessage(), List.of(), uri);
    }

    /** A problem+json response; {@code instance} is the request path. */
    public static Response respond(int status, String title, String detail, List<FieldError> errors, UriInfo uri) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail, uri.getPath(), errors))
                .build();
    }
}
