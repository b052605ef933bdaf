package io.outpost.registry.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.outpost.contracts.DeviceSessionEvent;
import io.outpost.messaging.RecordRetries;
import io.outpost.registry.service.ConnectionTracker;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Feeds the bridge's session events into the connection status; the offset is committed after the update. Through a
 * database outage an event is retried until the database is back; one that fails otherwise (typically the device was
 * deleted while its event was applied) is tried a few times and then skipped with a warning, never allowed to stop
 * the channel: the status is derived state, and the device's next event sets it right.
 */
@ApplicationScoped
public class DeviceSessionListener {
    private static final Logger LOG = Logger.getLogger(DeviceSessionListener.class);

    @Inject
    ConnectionTracker tracker;

    private volatile boolean stopping;

    @Incoming("device-sessions")
    @Blocking(ordered = true)
    public void onSessionEvent(DeviceSessionEvent event) {
        if (event == null) {
            LOG.warn("skipped a session event that is not a DeviceSessionEvent JSON document");
            return;
        }
        RecordRetries.apply("session event " + event, () -> applyOrIgnore(event), () -> stopping);
    }

    void onStop(@Observes ShutdownEvent stop) {
        stopping = true;
    }

    private void applyOrIgnore(DeviceSessionEvent event) {
        if (!tracker.apply(event)) {
            LOG.debugf("ignored session event %s", event);
        }
    }
}
