package io.outpost.mailbox;

import java.time.Duration;

import io.outpost.contracts.MessageKind;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The mailbox's settings, under {@code outpost.mailbox}; the same keys for every owner service that embeds it. */
@ConfigMapping(prefix = "outpost.mailbox")
public interface MailboxConfig {

    /** The kind of message this owner stores; delivery receipts of other kinds are skipped. No default: say it. */
    MessageKind kind();

    /** CloudEvents {@code ce_source} of every record the mailbox publishes. */
    @WithDefault("/outpost/${quarkus.application.name}")
    String source();

    /** Pending, unexpired messages one device may have; the next one is refused (the REST API answers 429). */
    @WithDefault("1000")
    int maxPendingPerDevice();

    /**
     * How long after its expiry a pending message is marked EXPIRED by the sweeper. It is never published once expired;
     * the grace only lets a delivery receipt or reply from just before the expiry, still in flight, win.
     */
    @WithDefault("2s")
    Duration expiryGrace();

    /** How often the sweeper looks for expired pending messages. */
    @WithDefault("1s")
    Duration sweepInterval();

    /** How often the relay looks at the outbox without being woken (catches wake-ups lost to a crash). */
    @WithDefault("1s")
    Duration outboxPoll();

    /** Outbox records sent per relay transaction, at most. */
    @WithDefault("500")
    int relayBatch();

    /**
     * Threads applying session events: many devices at once, one device's events in order. Each holds a database
     * connection while it works, so keep it well below the datasource's pool size.
     */
    @WithDefault("12")
    int sessionLanes();

    /** How often the depth and outbox gauges are recomputed from the database. */
    @WithDefault("10s")
    Duration metricsInterval();
}
