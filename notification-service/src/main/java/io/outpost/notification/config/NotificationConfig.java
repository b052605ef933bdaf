package io.outpost.notification.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The notification service's own settings, under {@code outpost.notification}; the mailbox's are under {@code outpost.mailbox}. */
@ConfigMapping(prefix = "outpost.notification")
public interface NotificationConfig {

    /** Name of the access-token claim that lists the tenants the caller may act for (a JSON array of tenant ids). */
    @WithDefault("tenants")
    String tenantsClaim();

    /** Lifetime of a notification whose request names no {@code ttl} (ARCHITECTURE.md: 24 h). */
    @WithDefault("PT24H")
    Duration defaultTtl();

    /** Longest {@code ttl} a request may ask for (ARCHITECTURE.md: no message lives beyond 7 days). */
    @WithDefault("P7D")
    Duration maxTtl();

    /** Largest payload, in bytes (after base64 decoding). */
    @WithDefault("131072")
    int maxPayloadBytes();

    /** How long after its expiry a notification (its deliveries and idempotency key with it) is kept; then deleted. */
    @WithDefault("P7D")
    Duration retention();

    /** How often live notifications past their expiry are marked EXPIRED. */
    @WithDefault("1s")
    Duration expirySweepInterval();

    /** How often notifications past their retention are deleted. */
    @WithDefault("1m")
    Duration retentionSweepInterval();
}
