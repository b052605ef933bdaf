package io.outpost.messaging;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Tells a database outage (the server restarting or unreachable, a connection cut, no connection to be had within the
 * pool's acquisition timeout) from a failure of the work itself: after an outage the same work succeeds once the
 * database is back, so it is retried, never skipped, and a REST caller is told to come back later (503).
 */
public final class DatabaseOutages {
    /** PostgreSQL: admin shutdown, crash shutdown, cannot connect now. */
    private static final Set<String> OUTAGE_STATES = Set.of("57P01", "57P02", "57P03");
    /** Agroal's message when no connection could be had in time; it carries no SQLState. */
    private static final String POOL_TIMEOUT = "acquisition timeout";

    private DatabaseOutages() {
    }

    /** Whether {@code failure}, or one of its causes, says the database cannot be reached for now. */
    public static boolean isOutage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && isOutage(sql)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOutage(SQLException e) {
        if (e instanceof SQLRecoverableException || e instanceof SQLTransientConnectionException) {
            return true;
        }
        String state = e.getSQLState();
        if (state == null) {
            return e.getMessage() != null && e.getMessage().contains(POOL_TIMEOUT);
        }
        // Class 08: connection exception (refused, broken, failed while sending); class 53: out of resources.
        return state.startsWith("08") || state.startsWith("53") || OUTAGE_STATES.contains(state);
    }
}
