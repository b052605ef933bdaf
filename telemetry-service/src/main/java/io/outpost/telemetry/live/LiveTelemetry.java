package io.outpost.telemetry.live;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.outpost.contracts.Topics;
import io.outpost.messaging.TopicFollower;
import io.outpost.telemetry.ingest.Reading;
import io.outpost.telemetry.ingest.Readings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * Readings as they arrive, for Server-Sent Events. Every instance follows the whole topic from its end (no consumer
 * group): an SSE client sees every device's readings whichever instance it is connected to, without waiting for
 * storage. A client more than {@value #BACKLOG} readings behind is disconnected rather than slow the others down.
 */
@ApplicationScoped
public class LiveTelemetry {
    private static final int BACKLOG = 10_000;
    private final BroadcastProcessor<Reading> readings = BroadcastProcessor.create();
    private TopicFollower follower;
    private volatile boolean positioned;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    @ConfigProperty(name = "quarkus.application.name")
    String application;

    void start(@Observes StartupEvent start) {
        follower = new TopicFollower(Topics.TELEMETRY, TopicFollower.Start.END, kafkaConfig, application + "-live",
                record -> Readings.of(record).ifPresent(readings::onNext), () -> positioned = true);
        follower.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        follower.stop();
        readings.onComplete();
    }

    /** True once the follower reads the topic: before, a live client would miss readings. */
    public boolean positioned() {
        return positioned;
    }

    /** The tenant's readings from now on, of one device and stream if given. */
    public Multi<Reading> follow(String tenant, String device, String stream) {
        return readings.onOverflow().buffer(BACKLOG)
                .filter(reading -> reading.tenant().equals(tenant))
                .filter(reading -> device == null || reading.device().equals(device))
                .filter(reading -> stream == null || reading.stream().equals(stream));
    }
}
