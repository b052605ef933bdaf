package io.outpost.registryview;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.messaging.TopicFollower;

/**
 * The latest JSON record per key of a compacted topic, in memory: read from the beginning, then following changes.
 * The {@link TopicFollower}'s thread is the only writer; any thread may read. A tombstone removes its key; an
 * unreadable record is logged and skipped, leaving the key as it was.
 */
final class CompactedTopicView<T> {
    private static final Logger LOG = Logger.getLogger(CompactedTopicView.class);

    /** Told of every change on the follower thread, after the view has it; null stands for "absent". */
    interface Change<T> {
        void changed(String key, T before, T after);
    }

    private final Map<String, T> records = new ConcurrentHashMap<>();
    private final Class<T> type;
    private final String noun;
    private final ObjectMapper json;
    private final Change<T> change;
    private final TopicFollower follower;
    private volatile boolean caughtUp;
    private final List<Runnable> whenCaughtUp = new ArrayList<>();

    /** @param noun what the records are, plural, for the log ("devices") */
    CompactedTopicView(String topic, Class<T> type, String noun, ObjectMapper json, Map<String, Object> kafkaConfig,
            String clientId, Change<T> change) {
        this.type = type;
        this.noun = noun;
        this.json = json;
        this.change = change;
        this.follower = new TopicFollower(topic, TopicFollower.Start.BEGINNING, kafkaConfig, clientId, this::apply,
                this::reachedEnd);
    }

    void start() {
        follower.start();
    }

    void stop() {
        follower.stop();
    }

    Optional<T> get(String key) {
        return Optional.ofNullable(records.get(key));
    }

    /** True once every record that existed at start-up has been read. */
    boolean caughtUp() {
        return caughtUp;
    }

    int size() {
        return records.size();
    }

    /** Runs {@code task} once every record that existed at start-up has been read: now if that is so already. */
    void whenCaughtUp(Runnable task) {
        synchronized (whenCaughtUp) {
            if (!caughtUp) {
                whenCaughtUp.add(task);
                return;
            }
        }
        task.run();
    }

    private void reachedEnd() {
        List<Runnable> tasks;
        synchronized (whenCaughtUp) {
            caughtUp = true;
            tasks = List.copyOf(whenCaughtUp);
            whenCaughtUp.clear();
        }
        LOG.infof("registry view caught up: %d %s", records.size(), noun);
        tasks.forEach(Runnable::run);
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        T before;
        T after = null;
        if (record.value() == null) {
            before = records.remove(record.key());
        } else {
            try {
                after = json.readValue(record.value(), type);
            } catch (IOException e) {
                LOG.warnf("skipped an unreadable registry record for %s: %s", record.key(), e.getMessage());
                return;
            }
            before = records.put(record.key(), after);
        }
        change.changed(record.key(), before, after);
    }
}
