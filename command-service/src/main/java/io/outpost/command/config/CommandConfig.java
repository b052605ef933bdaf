package io.outpost.command.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The command service's own settings, under {@code outpost.command}; the mailbox's are under {@code outpost.mailbox}. */
@ConfigMapping(prefix = "outpost.command")
public interface CommandConfig {

    /** Name of the access-token claim that lists the tenants the caller may act for (a JSON array of tenant ids). */
    @WithDefault("tenants")
    String tenantsClaim();

    /** Lifetime of a command whose request names no {@code ttl} (ARCHITECTURE.md: 1 h). */
    @WithDefault("PT1H")
    Duration defaultTtl();

    /** Longest {@code ttl} a request may ask for (ARCHITECTURE.md: no message lives beyond 7 days). */
    @WithDefault("P7D")
    Duration maxTtl();

    /** Time the device has to reply once it acknowledged the command, when the request names no {@code replyTimeout}. */
    @WithDefault("PT1M")
    Duration defaultReplyTimeout();

    /** Longest {@code replyTimeout} a request may ask for. */
    @WithDefault("PT24H")
    Duration maxReplyTimeout();

    /** Longest {@code ?wait=} a POST may hold the request for a final state. */
    @WithDefault("PT60S")
    Duration maxWait();

    /** Largest payload a command may carry, in bytes (after base64 decoding). */
    @WithDefault("131072")
    int maxPayloadBytes();

    /** How long a command is kept after it reached a final state (its idempotency key with it); then it is deleted. */
    @WithDefault("P7D")
    Duration retention();

    /** How often DELIVERED commands past their reply deadline are marked TIMED_OUT. */
    @WithDefault("1s")
    Duration timeoutSweepInterval();

    /** How often commands past their retention are deleted. */
    @WithDefault("1m")
    Duration retentionSweepInterval();

    /**
     * Most POSTs written in one transaction (group commit): concurrent callers share one commit and a few statements.
     * A lone caller is written at once, alone.
     */
    @WithDefault("128")
    int intakeBatch();

    /** Transactions of accepted POSTs written at once: one commits while the next fills. */
    @WithDefault("2")
    int intakeWriters();
}
