package io.outpost.telemetry.live;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the live feed follows the telemetry topic: an SSE client connecting earlier would miss readings. */
@Readiness
@ApplicationScoped
public class LiveReadiness implements HealthCheck {
    @Inject
    LiveTelemetry live;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Live telemetry").status(live.positioned()).build();
    }
}
