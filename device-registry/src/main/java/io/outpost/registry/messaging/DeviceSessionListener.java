package io.outpost.registry.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.outpost.contracts.DeviceSessionEvent;
import io.outpost.registry.service.ConnectionTracker;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Feeds the bridge's session events into the connection status; the offset is committed after the update. An event
 * that cannot be applied is tried once more and then skipped with a warning, never allowed to stop the channel: the
 * status is derived state, and the device's next event sets it right.
 */
@ApplicationScoped
public class DeviceSessionListener {
    private static final Logger LOG = Logger.getLogger(DeviceSessionListener.class);

    @Inject
    ConnectionTracker tracker;

    @Incoming("device-sessions")
    @Blocking(ordered = true)
    public void onSessionEvent(DeviceSessionEvent event) {
        if (event == null) {
            LOG.warn("skipped a session event that is not a DeviceSessionEvent JSON document");
            return;
        }
        try {
            applyOrIgnore(event);
        } catch (RuntimeException first) {
            // Typically the device was deleted while its event was applied (foreign key); the retry finds it gone.
            try {
                applyOrIgnore(event);
            } catch (RuntimeException again) {
                LOG.warnf("skipped session event %s: %s", event, again.toString());
            }
        }
    }

    private void applyOrIgnore(DeviceSessionEvent event) {
        if (!tracker.apply(event)) {
            LOG.debugf("ignored session event %s", event);
        }
    }
}
