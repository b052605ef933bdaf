package io.outpost.registryview;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads every partition of one topic on a thread of its own, without a consumer group (each instance needs every
 * record), from the beginning or from the end. Reports once it has read everything that existed when it started.
 */
public final class TopicFollower {
    private static final Logger LOG = Logger.getLogger(TopicFollower.class);

    /** Where reading starts. */
    public enum Start {
        BEGINNING,
        END
    }

    private final String topic;
    private final Start start;
    private final Map<String, Object> config;
    private final Consumer<ConsumerRecord<String, byte[]>> handler;
    private final Runnable caughtUp;
    private volatile KafkaConsumer<String, byte[]> consumer;

    /**
     * @param caughtUp runs once every record that existed at start has been handed to {@code handler} (at once for
     *                 {@link Start#END}); it must not block
     */
    public TopicFollower(String topic, Start start, Map<String, Object> kafkaConfig, String clientId,
            Consumer<ConsumerRecord<String, byte[]>> handler, Runnable caughtUp) {
        this.topic = topic;
        this.start = start;
        this.config = new HashMap<>(kafkaConfig);
        this.config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        this.handler = handler;
        this.caughtUp = caughtUp;
    }

    public void start() {
        Thread thread = new Thread(this::follow, "follow-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    public void stop() {
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    private void follow() {
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = kafka;
            List<TopicPartition> partitions = kafka.partitionsFor(topic, Duration.ofMinutes(5)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            kafka.assign(partitions);
            if (start == Start.BEGINNING) {
                kafka.seekToBeginning(partitions);
            } else {
                kafka.seekToEnd(partitions);
            }
            Map<TopicPartition, Long> end = kafka.endOffsets(partitions);
            boolean reported = false;
            while (true) {
                if (!reported && partitions.stream().allMatch(p -> kafka.position(p) >= end.get(p))) {
                    reported = true;
                    caughtUp.run();
                }
                for (ConsumerRecord<String, byte[]> record : kafka.poll(Duration.ofMillis(200))) {
                    handler.accept(record);
                }
            }
        } catch (WakeupException e) {
            LOG.debugf("stopped following %s", topic);
        } catch (RuntimeException e) {
            LOG.errorf(e, "following %s failed; this node no longer reads it", topic);
        }
    }
}
