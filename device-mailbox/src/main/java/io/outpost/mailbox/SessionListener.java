package io.outpost.mailbox;

import java.io.IOException;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.contracts.DeviceSessionEvent;
import io.outpost.contracts.SessionEventType;
import io.outpost.contracts.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

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

    @Inject
    Mailbox mailbox;
    @Inject
    RecordJson json;
    @Inject
    MeterRegistry metrics;
    @Inject
    MailboxConfig config;

    private KeyedLanes lanes;

    void start(@Observes StartupEvent start) {
        lanes = new KeyedLanes("mailbox-sessions", config.sessionLanes());
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        lanes.stop();
    }

    /** Hands the event to its device's lane; the offset is committed once it has been applied. */
    @Incoming("mailbox-sessions")
    public CompletionStage<Void> onSessionEvent(ConsumerRecord<String, byte[]> record) {
        return lanes.run(record.key(), () -> apply(record));
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        DeviceSessionEvent event = read(record);
        if (event == null) {
            return;
        }
        Retries.apply(metrics, Topics.DEVICE_SESSIONS, event.type() + " of " + record.key(), () -> {
            if (event.type() == SessionEventType.DISCONNECTED) {
                mailbox.sessionEnded(event);
                return;
            }
            int count = mailbox.sessionStarted(event);
            if (count > 0) {
                LOG.debugf("re-published %d messages for %s/%s on %s", count, event.tenant(), event.device(),
                        event.type());
            }
        });
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
