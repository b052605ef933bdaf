package io.outpost.registry.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The device registry's own settings, under {@code outpost.registry}. */
@ConfigMapping(prefix = "outpost.registry")
public interface RegistryConfig {

    /** Name of the access-token claim that lists the tenants the caller may act for (a JSON array of tenant ids). */
    @WithDefault("tenants")
    String tenantsClaim();

    /** Tenants created at start-up if missing, e.g. the demo tenants of the local platform; none by default. */
    Optional<List<String>> bootstrapTenants();

    /** How often the outbox relay looks for records without being woken (catches wake-ups lost to a crash). */
    @WithDefault("1s")
    Duration outboxPoll();

    /** Outbox records sent per relay transaction, at most. */
    @WithDefault("1000")
    int outboxBatch();
}
