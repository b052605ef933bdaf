package io.outpost.registry.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.outpost.contracts.DeviceSessionEvent;
import io.outpost.registry.service.ConnectionTracker;
import io.smallrye.reactive.messaging.annotations.Blocking;

/** Feeds the bridge's session events into the connection status; the offset is committed after the update. */
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
        if (!tracker.apply(event)) {
            LOG.debugf("ignored session event %s", event);
        }
    }
}
