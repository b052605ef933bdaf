package io.outpost.registry.rest.problem;

import java.util.Comparator;
import java.util.List;

import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.hibernate.StaleObjectStateException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/** Turns every error the API can raise into problem+json. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.status(), e.title(), e.getMessage(), e.errors(), uri);
    }

    /** Listed explicitly: Quarkus's own mappers for these subtypes would otherwise answer plain JSON. */
    @ServerExceptionMapper({ JsonProcessingException.class, JsonParseException.class, MismatchedInputException.class,
            InvalidFormatException.class })
    public Response invalidJson(JsonProcessingException e, UriInfo uri) {
        String field = e instanceof JsonMappingException mapping ? JsonPaths.of(mapping) : "";
        String detail = e.getOriginalMessage();
        return respond(400, "Malformed JSON", detail, field.isEmpty() ? List.of() : List.of(new FieldError(field, detail)), uri);
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldError(lastNodes(v.getPropertyPath().toString()), v.getMessage()))
                .sorted(Comparator.comparing(FieldError::field))
                .toList();
        return respond(400, "Invalid request", errors.size() + " field(s) invalid", errors, uri);
    }

    @ServerExceptionMapper({ OptimisticLockException.class, StaleObjectStateException.class })
    public Response concurrentChange(RuntimeException e, UriInfo uri) {
        return respond(412, "Precondition failed", "the resource was changed concurrently; read it again", List.of(), uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        Response response = e.getResponse();
        return respond(response.getStatus(), response.getStatusInfo().getReasonPhrase(), e.getMessage(), List.of(), uri);
    }

    static Response respond(int status, String title, String detail, List<FieldError> errors, UriInfo uri) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail, uri.getPath(), errors))
                .build();
    }

    /** Bean Validation paths start with the method and parameter ({@code create.request.id}); callers know neither. */
    private static String lastNodes(String path) {
        String[] parts = path.split("\\.", 3);
        return parts.length == 3 ? parts[2] : path;
    }
}
