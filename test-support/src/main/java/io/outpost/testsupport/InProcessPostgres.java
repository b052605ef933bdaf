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
            // EmbeddedPostgres registers its own shutdown hook that stops the server.
            postgres = start();
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
}
