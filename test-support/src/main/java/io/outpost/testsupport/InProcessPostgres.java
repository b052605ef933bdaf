package io.outpost.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (zonky embedded binaries), started at most once per JVM; it lives until the JVM exits. An
 * outage test can {@link #kill} it as a crash would and {@link #restart} it on the same port and data.
 */
public final class InProcessPostgres {
    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(60);
    private static final Path UNSHARE = Path.of("/usr/bin/unshare");
    private static EmbeddedPostgres postgres;
    private static List<String> killedCommand;
    private static Map<String, String> killedEnvironment;

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
            // zonky turns synchronous_commit off, so a commit acknowledged just before a kill could be lost; on, with
            // its fsync off, a commit is in the kernel's page cache before it is acknowledged, and survives a SIGKILL.
            return EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the in-process PostgreSQL server", e);
        }
    }

    /**
     * SIGKILLs the server's postmaster, as a crash or an OOM kill would, and returns once every one of its processes
     * has gone: connections break, and new ones are refused until {@link #restart}.
     */
    public static synchronized void kill() {
        jdbcUrl();
        try {
            ProcessHandle postmaster = ProcessHandle.of(postmasterPid()).orElseThrow();
            List<String> command = pgCtlStart(Path.of(postmaster.info().command().orElseThrow()),
                    postmaster.info().arguments().orElseThrow());
            Map<String, String> environment = environment(postmaster.pid());
            List<ProcessHandle> children = postmaster.children().toList();
            postmaster.destroyForcibly();
            postmaster.onExit().get(10, TimeUnit.SECONDS);
            for (ProcessHandle child : children) {
                // Backends and helpers notice their postmaster's death and exit by themselves.
                child.onExit().get(30, TimeUnit.SECONDS);
            }
            killedCommand = command;
            killedEnvironment = environment;
        } catch (Exception e) {
            throw new IllegalStateException("Could not kill the in-process PostgreSQL server", e);
        }
    }

    /** Starts the killed server again with its own command line; returns once it accepts connections. */
    public static synchronized void restart() {
        if (killedCommand == null) {
            throw new IllegalStateException("the server was not killed");
        }
        long deadline = System.nanoTime() + RESTART_TIMEOUT.toNanos();
        try {
            Process pgCtl = start(killedCommand);
            while (!accepts()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("PostgreSQL did not accept connections within " + RESTART_TIMEOUT);
                }
                if (!pgCtl.isAlive() && pgCtl.exitValue() != 0) {
                    pgCtl = start(killedCommand);
                }
                Thread.sleep(100);
            }
            killedCommand = null;
        } catch (IOException e) {
            throw new IllegalStateException("Could not restart the in-process PostgreSQL server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code pg_ctl start} with the server's own arguments ({@code -D dir} then options), the way zonky starts it: in
     * a user namespace where one is to be had ({@code unshare -U}), since PostgreSQL refuses to run as root.
     */
    private static List<String> pgCtlStart(Path postgres, String[] arguments) {
        if (arguments.length < 2 || !arguments[0].equals("-D")) {
            throw new IllegalStateException("unexpected postmaster arguments " + List.of(arguments));
        }
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(UNSHARE)) {
            command.addAll(List.of(UNSHARE.toString(), "-U"));
        }
        command.addAll(List.of(postgres.resolveSibling("pg_ctl").toString(), "-D", arguments[1], "-o",
                String.join(" ", List.of(arguments).subList(2, arguments.length)), "-w", "start"));
        return command;
    }

    private static Process start(List<String> command) throws IOException {
        Path log = Path.of(System.getProperty("java.io.tmpdir"), "in-process-postgres-restart.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(killedEnvironment);
        return builder.start();
    }

    /**
     * The environment the server was started with (Linux): zonky's binaries need theirs, such as
     * {@code PG_GRANDPARENT_PID}, without which they refuse to run as root.
     */
    private static Map<String, String> environment(long pid) throws IOException {
        Map<String, String> environment = new HashMap<>();
        for (String entry : Files.readString(Path.of("/proc", Long.toString(pid), "environ")).split("\0")) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                environment.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        return environment;
    }

    private static boolean accepts() {
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /** The first line of {@code postmaster.pid} in the server's data directory. */
    private static long postmasterPid() throws SQLException, IOException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                ResultSet rs = connection.createStatement().executeQuery("show data_directory")) {
            rs.next();
            return Long.parseLong(Files.readAllLines(Path.of(rs.getString(1), "postmaster.pid")).get(0).strip());
        }
    }
}
