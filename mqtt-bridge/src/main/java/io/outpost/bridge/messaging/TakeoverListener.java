package io.outpost.bridge.messaging;

import java.io.IOException;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.bridge.NodeIdentity;
import io.outpost.bridge.mqtt.MqttGateway;
import io.outpost.contracts.DeviceSessionEvent;
import io.outpost.contracts.SessionEventType;
import io.outpost.contracts.Topics;
import io.outpost.messaging.TopicFollower;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Follows every node's session events from the end of the topic (no consumer group: each node sees all of them)
 * and ends a local session when another node reports a newer connection of the same device.
 */
@ApplicationScoped
public class TakeoverListener {
    private static final Logger LOG = Logger.getLogger(TakeoverListener.class);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    @Inject
    ObjectMapper json;
    @Inject
    NodeIdentity node;
    @Inject
    MqttGateway gateway;

    private TopicFollower follower;

    void start(@Observes StartupEvent start) {
        follower = new TopicFollower(Topics.DEVICE_SESSIONS, TopicFollower.Start.END, kafkaConfig,
                "mqtt-bridge-takeover-" + node.id(), this::onEvent, () -> {
                });
        follower.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        follower.stop();
    }

    private void onEvent(ConsumerRecord<String, byte[]> record) {
        try {
            DeviceSessionEvent event = json.readValue(record.value(), DeviceSessionEvent.class);
            if (event.type() == SessionEventType.CONNECTED && !node.id().equals(event.node())) {
                gateway.takenOverElsewhere(record.key(), event.sessionId(), event.at());
            }
        } catch (IOException | RuntimeException e) {
            LOG.debugf("skipped a session event: %s", e.toString());
        }
    }
}
