package io.outpost.bridge.messaging;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.bridge.NodeIdentity;
import io.outpost.bridge.mqtt.MqttGateway;
import io.outpost.contracts.DeviceSessionEvent;
import io.outpost.contracts.SessionEventType;
import io.outpost.contracts.Topics;
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

    private volatile KafkaConsumer<String, byte[]> consumer;

    void start(@Observes StartupEvent start) {
        Thread thread = new Thread(this::follow, "session-takeover");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    private void follow() {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "mqtt-bridge-takeover-" + node.id());
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = kafka;
            List<TopicPartition> partitions = kafka.partitionsFor(Topics.DEVICE_SESSIONS, Duration.ofMinutes(5)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            kafka.assign(partitions);
            kafka.seekToEnd(partitions);
            while (true) {
                for (ConsumerRecord<String, byte[]> record : kafka.poll(Duration.ofMillis(500))) {
                    onEvent(record);
                }
            }
        } catch (WakeupException e) {
            LOG.debug("takeover listener stopped");
        } catch (RuntimeException e) {
            LOG.error("takeover listener failed; sessions taken over on other nodes stay open here", e);
        }
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
