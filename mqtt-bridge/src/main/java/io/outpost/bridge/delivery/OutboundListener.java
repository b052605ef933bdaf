package io.outpost.bridge.delivery;

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

import io.outpost.bridge.NodeIdentity;
import io.outpost.bridge.mqtt.MqttGateway;
import io.outpost.contracts.OutboundMessage;
import io.outpost.contracts.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Every node reads all of {@code outpost.outbound.v1} from the latest offset (no consumer group: each node needs
 * every message, since any node may hold the device) and hands each message to the device's session here, if any.
 * Messages for devices connected elsewhere or offline are skipped: their owners re-publish them on the device's
 * next CONNECTED or SUBSCRIBED.
 */
@ApplicationScoped
public class OutboundListener {
    private static final Logger LOG = Logger.getLogger(OutboundListener.class);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    @Inject
    NodeIdentity node;
    @Inject
    MqttGateway gateway;

    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean positioned;

    void start(@Observes StartupEvent start) {
        Thread thread = new Thread(this::follow, "outbound-delivery");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    /** True once the listener sits at the end of every partition, so later messages reach this node. */
    public boolean positioned() {
        return positioned;
    }

    private void follow() {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "mqtt-bridge-outbound-" + node.id());
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = kafka;
            List<TopicPartition> partitions = kafka.partitionsFor(Topics.OUTBOUND, Duration.ofMinutes(5)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            kafka.assign(partitions);
            kafka.seekToEnd(partitions);
            partitions.forEach(kafka::position);
            positioned = true;
            while (true) {
                for (ConsumerRecord<String, byte[]> record : kafka.poll(Duration.ofMillis(200))) {
                    OutboundMessage message = OutboundRecords.read(record);
                    if (message == null) {
                        LOG.warnf("skipped an outbound record without id, tenant, device, topic, type or expiry at %s-%d@%d",
                                record.topic(), record.partition(), record.offset());
                    } else {
                        gateway.deliver(message);
                    }
                }
            }
        } catch (WakeupException e) {
            LOG.debug("outbound listener stopped");
        } catch (RuntimeException e) {
            positioned = false;
            LOG.error("outbound listener failed; this node delivers nothing more", e);
        }
    }
}
