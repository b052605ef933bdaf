package io.outpost.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a Quarkus test at the {@link InProcessKafka} broker (platform topics already created).
 * Use with {@code @WithTestResource(KafkaTestResource.class)}.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", InProcessKafka.bootstrapServers());
    }

    @Override
    public void stop() {
        // The broker is shared by every test of the JVM and stops with it.
    }
}
