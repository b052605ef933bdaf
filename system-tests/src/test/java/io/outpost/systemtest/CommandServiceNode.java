package io.outpost.systemtest;

import java.util.HashMap;
import java.util.Map;

import io.outpost.testsupport.InProcessKafka;
import io.outpost.testsupport.InProcessPostgres;
import io.outpost.testsupport.TestTokens;

/**
 * The command service as a real process on the in-process Kafka and a database of its own; it verifies bearer tokens
 * with the real quarkus-oidc against {@link TestTokens}' key.
 */
final class CommandServiceNode implements AutoCloseable {
    /**
     * The consumer group in which the command service's mailbox handles session events (device-mailbox's default,
     * {@code ${quarkus.application.name}-mailbox-sessions}); its committed offsets say how far it has got.
     */
    static final String SESSIONS_GROUP = "command-service-mailbox-sessions-v2";

    private final ServiceProcess process;

    private CommandServiceNode(ServiceProcess process) {
        this.process = process;
    }

    /** Starts an instance on {@code jdbcUrl}; instances given the same URL share one mailbox. */
    static CommandServiceNode start(String name, String jdbcUrl) {
        return start(name, jdbcUrl, Map.of());
    }

    /** Starts an instance with further settings, e.g. tracing's. */
    static CommandServiceNode start(String name, String jdbcUrl, Map<String, String> settings) {
        return new CommandServiceNode(startService("command-service", name, jdbcUrl, settings));
    }

    /** Starts a service module that has a database and a REST API, on the in-process Kafka and PostgreSQL. */
    static ServiceProcess startService(String module, String name, String jdbcUrl) {
        return startService(module, name, jdbcUrl, Map.of());
    }

    static ServiceProcess startService(String module, String name, String jdbcUrl, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", InProcessKafka.bootstrapServers(),
                "quarkus.datasource.jdbc.url", jdbcUrl,
                "quarkus.datasource.username", InProcessPostgres.username(),
                "quarkus.datasource.password", "unused",
                // Empty unsets the Keycloak URL of application.properties, which would otherwise win over the key.
                "quarkus.oidc.auth-server-url", "",
                "quarkus.oidc.public-key", TestTokens.publicKey(),
                "quarkus.oidc.token.issuer", TestTokens.ISSUER));
        all.putAll(settings);
        return ServiceProcess.start(module, name, all);
    }

    CommandApi api(String tenant) {
        return new CommandApi(process.httpPort(), tenant);
    }

    /** SIGKILL: whatever was not committed is lost, as in a crash. */
    void kill() throws InterruptedException {
        process.kill();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
