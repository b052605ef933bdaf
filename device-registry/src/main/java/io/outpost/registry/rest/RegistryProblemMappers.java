package io.outpost.registry.rest;

import java.util.Comparator;
import java.util.List;

import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.hibernate.StaleObjectStateException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.outpost.rest.FieldError;
import io.outpost.rest.ProblemMappers;

/** The registry's own errors as problem+json; the common ones are mapped by rest-support's {@link ProblemMappers}. */
public class RegistryProblemMappers {

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldError(lastNodes(v.getPropertyPath().toString()), v.getMessage()))
                .sorted(Comparator.comparing(FieldError::field))
                .toList();
        return ProblemMappers.respond(400, "Invalid request", errors.size() + " field(s) invalid", errors, uri);
    }

    @ServerExceptionMapper({ OptimisticLockException.class, StaleObjectStateException.class })
    public Response concurrentChange(RuntimeException e, UriInfo uri) {
        return ProblemMappers.respond(412, "Precondition failed", "the resource was changed concurrently; read it again",
                List.of(), uri);
    }

    /** Bean Validation paths start with the method and parameter ({@code create.request.id}); callers know neither. */
    private static String lastNodes(String path) {
        String[] parts = path.split("\\.", 3);
        return parts.length == 3 ? parts[2] : path;
    }
}
