package io.outpost.registry.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.outpost.contracts.DeviceSessionEvent;
import io.outpost.contracts.SessionEventType;
import io.outpost.messaging.RecordRetries;
import io.outpost.registry.service.ConnectionTracker;

class DeviceSessionListenerTest {
    private static final DeviceSessionEvent EVENT = new DeviceSessionEvent("acme", "truck-1",
            SessionEventType.DISCONNECTED, "s1", "node-1", Instant.now(), "client", "5.0", "127.0.0.1:5000");

    @Test
    void eventThatFailsOnceIsAppliedOnTheRetry() {
        FailingTracker tracker = new FailingTracker(1);

        listener(tracker).onSessionEvent(EVENT);

        assertEquals(2, tracker.calls.size());
    }

    @Test
    void eventThatKeepsFailingIsSkippedInsteadOfStoppingTheChannel() {
        FailingTracker tracker = new FailingTracker(Integer.MAX_VALUE);
        DeviceSessionListener listener = listener(tracker);

        listener.onSessionEvent(EVENT);
        listener.onSessionEvent(EVENT);

        assertEquals(2 * RecordRetries.ATTEMPTS, tracker.calls.size());
    }

    private static DeviceSessionListener listener(ConnectionTracker tracker) {
        DeviceSessionListener listener = new DeviceSessionListener();
        listener.tracker = tracker;
        return listener;
    }

    /** Fails its first {@code failures} calls as a concurrent device deletion would (a foreign-key violation). */
    private static final class FailingTracker extends ConnectionTracker {
        private final int failures;
        private final List<DeviceSessionEvent> calls = new ArrayList<>();

        FailingTracker(int failures) {
            this.failures = failures;
        }

        @Override
        public boolean apply(DeviceSessionEvent event) {
            calls.add(event);
            if (calls.size() <= failures) {
                throw new IllegalStateException("insert or update on table connection_status violates a foreign key");
            }
            return true;
        }
    }
}
