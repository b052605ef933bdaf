package io.outpost.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>
 * A failing consumer does not stop it for good: it is not {@link #live()} until a new consumer has resumed exactly
 * where the failed one stopped (after a growing pause), so nothing in between is skipped. A handler that throws on one
 * record is logged and the record passed over: the handler owns its own error handling.
 */
public final class TopicFollower {
    private static final Logger LOG = Logger.getLogger(TopicFollower.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

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
    /** The next offset to read per partition, kept across consumer restarts. */
    private final Map<TopicPartition, Long> next = new ConcurrentHashMap<>();
    /** The consumer's position per partition after the last poll: every record below it has been handled. */
    private final Map<TopicPartition, Long> handledBelow = new ConcurrentHashMap<>();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean stopped;
    private volatile boolean live;
    private boolean reported;

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
        Thread thread = new Thread(this::followUntilStopped, "follow-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    public void stop() {
        stopped = true;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    /**
     * True once every record below the given offsets (say, a topic's end offsets read a moment ago) has been handed to
     * the handler: what was written before that moment is in the reader's view.
     */
    public boolean hasHandled(Map<TopicPartition, Long> offsets) {
        return offsets.entrySet().stream()
                .allMatch(offset -> handledBelow.getOrDefault(offset.getKey(), -1L) >= offset.getValue());
    }

    /** True while the follower sits at (or reads towards) the end of every partition with a working consumer. */
    public boolean live() {
        return live;
    }

    private void followUntilStopped() {
        Duration pause = FIRST_PAUSE;
        while (!stopped) {
            try {
                follow();
            } catch (WakeupException e) {
                LOG.debugf("stopped following %s", topic);
            } catch (RuntimeException e) {
                live = false;
                if (stopped) {
                    return;
                }
                LOG.errorf(e, "following %s failed; resuming from the same offsets in %d ms", topic, pause.toMillis());
                sleep(pause);
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
                continue;
            }
            return;
        }
    }

    private void follow() {
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = kafka;
            if (stopped) {
                return;
            }
            List<TopicPartition> partitions = kafka.partitionsFor(topic, Duration.ofMinutes(5)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            kafka.assign(partitions);
            position(kafka, partitions);
            Map<TopicPartition, Long> end = kafka.endOffsets(partitions);
            while (true) {
                if (!live && partitions.stream().allMatch(p -> kafka.position(p) >= end.get(p))) {
                    live = true;
                    if (!reported) {
                        reported = true;
                        caughtUp.run();
                    }
                }
                for (ConsumerRecord<String, byte[]> record : kafka.poll(Duration.ofMillis(200))) {
                    handle(record);
                    next.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                }
                partitions.forEach(p -> handledBelow.put(p, kafka.position(p)));
            }
        } finally {
            consumer = null;
            live = false;
        }
    }

    private void position(KafkaConsumer<String, byte[]> kafka, List<TopicPartition> partitions) {
        List<TopicPartition> fresh = partitions.stream().filter(p -> !next.containsKey(p)).toList();
        if (start == Start.BEGINNING) {
            kafka.seekToBeginning(fresh);
        } else {
            kafka.seekToEnd(fresh);
        }
        partitions.stream().filter(next::containsKey).forEach(p -> kafka.seek(p, next.get(p)));
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        try {
            handler.accept(record);
        } catch (RuntimeException e) {
            LOG.errorf(e, "handling %s-%d@%d failed; passed over", record.topic(), record.partition(), record.offset());
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
