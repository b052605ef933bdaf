package io.outpost.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a Quarkus test's default datasource at the {@link InProcessPostgres} server.
 * Use with {@code @WithTestResource(PostgresTestResource.class)}.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.datasource.jdbc.url", InProcessPostgres.jdbcUrl(),
                "quarkus.datasource.username", InProcessPostgres.username(),
                "quarkus.datasource.password", "unused");
    }

    @Override
    public void stop() {
        // The server is shared by every test of the JVM and stops with it.
    }
}
