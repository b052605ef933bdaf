package io.outpost.bridge.mqtt;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.bridge.delivery.ExpiringMessage;
import io.outpost.contracts.Audience;
import io.outpost.contracts.Identifiers;
import io.outpost.registryview.DeviceDirectory;

/**
 * Hands outbound messages and revocations to the sessions on this node they concern. A device message goes to the
 * device's session, if it is here (a member's copy of a group message too: the session checks the membership before
 * sending it). A group message goes, as a copy each, to the tenant's sessions whose device is a member now by the
 * registry view ({@link DeviceDirectory#isMember}); each session checks again right before sending. A fleet message
 * goes to a copy for each session of the tenant. Members connected elsewhere or offline are left to other nodes and
 * to their owners' re-publish on connect. A group or fleet message costs one pass over the tenant's sessions here
 * ({@link SessionRegistry#ofTenant}), not over the node's.
 */
@ApplicationScoped
public class OutboundRouter {
    @Inject
    SessionRegistry sessions;
    @Inject
    DeviceDirectory directory;
    @Inject
    MeterRegistry metrics;

    public void deliver(ExpiringMessage expiring, Audience audience) {
        String tenant = expiring.message().tenant();
        if (audience == Audience.DEVICE) {
            sessions.current(tenant + Identifiers.KEY_SEPARATOR + expiring.message().device())
                    .ifPresent(session -> session.deliver(expiring));
            return;
        }
        int members = 0;
        for (DeviceSession session : sessions.ofTenant(tenant)) {
            if (audience == Audience.FLEET || directory.isMember(tenant, expiring.group(), session.device())) {
                session.deliver(expiring.forMember(session.device()));
                members++;
            }
        }
        metrics.counter("outpost.bridge.outbound.members", "tenant", tenant, "audience", audience.headerValue())
                .increment(members);
    }

    /** Drops the revoked message from every session of the tenant here where it still waits. */
    public void revoke(String tenant, String messageId) {
        for (DeviceSession session : sessions.ofTenant(tenant)) {
            session.revoke(messageId);
        }
    }
}
