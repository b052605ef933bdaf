package io.outpost.mailbox;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.contracts.DeviceSessionEvent;
import io.outpost.contracts.SessionEventType;
import io.outpost.contracts.Topics;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Re-publishes a device's pending messages when it connects or subscribes on any bridge node (ARCHITECTURE.md,
 * mailbox rule 3), and tells the mailbox when a session ends, so what is stored meanwhile waits for the next one. The channel is a consumer group, so one instance handles each event; events of one device arrive
 * in order (same key, same partition), and the offset is committed after the re-publish is in the outbox.
 * Events are handled concurrently (a reconnect storm brings thousands at once); the mailbox's per-device lock keeps
 * one device's re-publishes apart, and whichever of a session's two events is handled first sends the pending
 * messages for that session, the other none of them again.
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

    @Incoming("mailbox-sessions")
    @Blocking(ordered = false)
    public void onSessionEvent(ConsumerRecord<String, byte[]> record) {
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
