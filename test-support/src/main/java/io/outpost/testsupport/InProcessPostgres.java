package io.outpost.testsupport;

import java.io.IOException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** A real PostgreSQL server (zonky embedded binaries), started at most once per JVM; it lives until the JVM exits. */
public final class InProcessPostgres {
    private static EmbeddedPostgres postgres;

    private InProcessPostgres() {
    }

    /** Starts the server on first use and returns the JDBC URL of its {@code postgres} database. */
    public static synchronized String jdbcUrl() {
        if (postgres == null) {
            postgres = start();
            Runtime.getRuntime().addShutdownHook(new Thread(InProcessPostgres::stop, "in-process-postgres-stop"));
        }
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** The superuser the server was initialised with; its password is not checked (trust authentication). */
    public static String username() {
        return "postgres";
    }

    private static EmbeddedPostgres start() {
        try {
            return EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the in-process PostgreSQL server", e);
        }
    }

    private static synchronized void stop() {
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("In-process PostgreSQL did not stop cleanly: " + e);
        }
    }
}
