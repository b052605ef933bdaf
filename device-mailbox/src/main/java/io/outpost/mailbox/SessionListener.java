package io.outpost.mailbox;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.contracts.DeviceSessionEvent;
import io.outpost.contracts.SessionEventType;
import io.outpost.contracts.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Feeds {@code outpost.device-sessions.v1} into the mailbox (ARCHITECTURE.md, mailbox rule 3): CONNECTED and
 * SUBSCRIBED make the session the device's current one and re-publish its pending messages, DISCONNECTED marks it
 * offline, so what is stored meanwhile waits for the next session. The channel is a consumer group, so one instance
 * handles each event. Events are applied concurrently across devices (a reconnect storm brings thousands at once)
 * but in partition order for one device ({@link KeyedLanes}), so a session's DISCONNECTED never overtakes its
 * CONNECTED; the offset is committed once the event has been applied.
 */
@ApplicationScoped
public class SessionListener {
    private static final Logger LOG = Logger.getLogger(SessionListener.class);
    /** Most events of one lane applied in one transaction. */
    private static final int LANE_BATCH = 200;

    @Inject
    Mailbox mailbox;
    @Inject
    MailboxSessions sessions;
    @Inject
    RecordJson json;
    @Inject
    MeterRegistry metrics;
    @Inject
    MailboxConfig config;

    private KeyedLanes<DeviceSessionEvent> lanes;

    /**
     * At the bean's creation, not at StartupEvent: the connector may hand over the first poll before this bean's
     * StartupEvent observer ran (a slow start did: every event failed on lanes not yet made, and readiness stayed down).
     */
    @PostConstruct
    void start() {
        lanes = new KeyedLanes<>("mailbox-sessions", config.sessionLanes(), LANE_BATCH, events -> {
            // All of the batch's devices first, in the mailbox's lock order, as every other batch takes them.
            mailbox.lockDevices(events.stream().map(e -> e.tenant() + "/" + e.device()).toList());
            sessions.applyLocked(events);
        });
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        lanes.stop();
    }

    /**
     * Hands a poll's events to their devices' lanes and returns once all are applied; the offsets are committed then.
     * An event that fails in its lane's batch and again alone is retried, then skipped (logged and counted).
     */
    @Incoming("mailbox-sessions")
    @Blocking(ordered = true)
    public void onSessionEvents(ConsumerRecords<String, byte[]> records) {
        List<CompletableFuture<Void>> applied = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            DeviceSessionEvent event = read(record);
            if (event != null) {
                applied.add(lanes.submit(record.key(), event).exceptionally(failure -> {
                    Retries.apply(metrics, Topics.DEVICE_SESSIONS, event.type() + " of " + record.key(),
                            () -> apply(event));
                    return null;
                }).toCompletableFuture());
            }
        }
        CompletableFuture.allOf(applied.toArray(CompletableFuture[]::new)).join();
    }

    private void apply(DeviceSessionEvent event) {
        if (event.type() == SessionEventType.DISCONNECTED) {
            sessions.sessionEnded(event);
            return;
        }
        int count = sessions.sessionStarted(event);
        if (count > 0) {
            LOG.debugf("re-published %d messages for %s/%s on %s", count, event.tenant(), event.device(), event.type());
        }
    }

    private DeviceSessionEvent read(ConsumerRecord<String, byte[]> record) {
        try {
            DeviceSessionEvent event = record.value() == null ? null
                    : json.read(record.value(), DeviceSessionEvent.class);
            if (event == null || event.tenant() == null || event.device() == null || event.type() == null
                    || event.sessionId() == null) {
                LOG.warnf("skipped an incomplete session event at offset %d of %s-%d", record.offset(), record.topic(),
                        record.partition());
                return null;
            }
            return event;
        } catch (IOException e) {
            LOG.warnf("skipped an unreadable session event at offset %d of %s-%d: %s", record.offset(), record.topic(),
                    record.partition(), e.getMessage());
            return null;
        }
    }
}
