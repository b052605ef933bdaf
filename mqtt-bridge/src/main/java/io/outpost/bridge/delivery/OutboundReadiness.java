package io.outpost.bridge.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until this node follows the outbound topic: a device connecting earlier could miss a message. */
@Readiness
@ApplicationScoped
public class OutboundReadiness implements HealthCheck {
    public static final String NAME = "Outbound delivery";

    @Inject
    OutboundListener listener;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(NAME).status(listener.positioned()).build();
    }
}
