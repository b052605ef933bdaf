package io.outpost.rest;

import java.sql.SQLException;
import java.util.List;

import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.outpost.messaging.DatabaseOutages;

/**
 * Database failures that no service maps itself: during an {@linkplain DatabaseOutages outage} 503 problem+json with
 * {@code Retry-After} (the request changed nothing and may be sent again), otherwise 500 problem+json, logged; never
 * the server's plain-text error page.
 */
public class DatabaseProblemMappers {
    private static final Logger LOG = Logger.getLogger(DatabaseProblemMappers.class);
    static final int RETRY_AFTER_SECONDS = 5;

    @ServerExceptionMapper({ PersistenceException.class, SQLException.class })
    public Response database(Exception e, UriInfo uri) {
        if (DatabaseOutages.isOutage(e)) {
            LOG.debugf("database unavailable for %s: %s", uri.getPath(), e.toString());
            return Response.fromResponse(ProblemMappers.respond(503, "Service Unavailable",
                    "the database is unavailable for now; try again later", List.of(), uri))
                    .header("Retry-After", RETRY_AFTER_SECONDS).build();
        }
        LOG.errorf(e, "database failure for %s", uri.getPath());
        return ProblemMappers.respond(500, "Internal Server Error", "the request failed; the service log says why",
                List.of(), uri);
    }
}
