package io.outpost.bridge.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while this node's outbound listener is {@link OutboundListener#live() live}: before it is positioned, and
 * while its consumer restarts, the node refuses CONNECTs (server unavailable), so it should get no traffic.
 */
@Readiness
@ApplicationScoped
public class OutboundReadiness implements HealthCheck {
    public static final String NAME = "Outbound delivery";

    @Inject
    OutboundListener listener;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(NAME).status(listener.live()).build();
    }
}
