package io.outpost.telemetry;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The telemetry service's settings, under {@code outpost.telemetry}. */
@ConfigMapping(prefix = "outpost.telemetry")
public interface TelemetryConfig {
    /** Name of the token claim listing the caller's tenants (docs/security.md). */
    @WithDefault("tenants")
    String tenantsClaim();

    /** How long readings are kept when the tenant has no retention of its own. */
    @WithDefault("P30D")
    Duration defaultRetention();

    /** Per-tenant retention, e.g. {@code outpost.telemetry.retention."acme"=P7D}. */
    Map<String, Duration> retention();

    /** Largest number of buckets one aggregate query may return. */
    @WithDefault("10000")
    int maxBuckets();

    /** How the tenant's retention is: its own, or the default. */
    default Duration retentionOf(String tenant) {
        return retention().getOrDefault(tenant, defaultRetention());
    }

    /** The longest retention of any tenant: partitions older than this hold nothing anyone may still read. */
    default Duration longestRetention() {
        return retention().values().stream().reduce(defaultRetention(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }
}
