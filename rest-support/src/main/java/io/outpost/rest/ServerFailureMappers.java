package io.outpost.rest;

import java.util.List;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.outpost.messaging.DatabaseOutages;

/**
 * Failures that nothing more specific maps (Quarkus's own mappers for security and validation, {@link ProblemMappers},
 * a service's own): during a {@linkplain DatabaseOutages database outage} 503 problem+json with {@code Retry-After}
 * (the request changed nothing and may be sent again), otherwise 500 problem+json, logged with its cause; never the
 * server's plain-text error page.
 */
public class ServerFailureMappers {
    private static final Logger LOG = Logger.getLogger(ServerFailureMappers.class);
    static final int RETRY_AFTER_SECONDS = 5;

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        if (DatabaseOutages.isOutage(e)) {
            LOG.debugf("database unavailable for %s: %s", uri.getPath(), e.toString());
            return Response.fromResponse(ProblemMappers.respond(503, "Service Unavailable",
                    "the database is unavailable for now; try again later", List.of(), uri))
                    .header("Retry-After", RETRY_AFTER_SECONDS).build();
        }
        LOG.errorf(e, "request to %s failed", uri.getPath());
        return ProblemMappers.respond(500, "Internal Server Error", "the request failed; the service log says why",
                List.of(), uri);
    }
}
