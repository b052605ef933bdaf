package io.outpost.inquiry.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The inquiry service's own settings, under {@code outpost.inquiry}; the mailbox's are under {@code outpost.mailbox}. */
@ConfigMapping(prefix = "outpost.inquiry")
public interface InquiryConfig {

    /** Name of the access-token claim that lists the tenants the caller may act for (a JSON array of tenant ids). */
    @WithDefault("tenants")
    String tenantsClaim();

    /** Lifetime of a continuing inquiry when neither the device nor the handler says (ARCHITECTURE.md: 1 h). */
    @WithDefault("PT1H")
    Duration defaultLifetime();

    /** Longest lifetime of an inquiry and ttl of an answer (no message lives beyond 7 days). */
    @WithDefault("P7D")
    Duration maxLifetime();

    /** How long a one-shot inquiry waits for its answer before it ends EXPIRED with an error answer. */
    @WithDefault("PT1M")
    Duration oneShotLifetime();

    /** How long an answer waits for an offline device unless its handler or the answer says (ARCHITECTURE.md: 5 min). */
    @WithDefault("PT5M")
    Duration defaultAnswerTtl();

    /** How long a webhook may take to answer unless its handler says. */
    @WithDefault("PT5S")
    Duration defaultWebhookTimeout();

    /** Longest webhook timeout a handler may set. */
    @WithDefault("PT30S")
    Duration maxWebhookTimeout();

    /** Largest inquiry or answer payload, in bytes. */
    @WithDefault("131072")
    int maxPayloadBytes();

    /** Inquiries a device may open per second, on average. */
    @WithDefault("5")
    double openRate();

    /** Inquiries a device may open at once above the average. */
    @WithDefault("20")
    int openBurst();

    /** Whether webhooks may be plain http:// to a loopback address (tests, the local platform's demo handler). */
    @WithDefault("false")
    boolean webhookAllowLoopbackHttp();

    /**
     * Key (at least 32 characters) that webhook secrets are encrypted with in the database; unset, they are stored as
     * given. Keep it out of the database's reach (an environment variable from a secret store).
     */
    Optional<String> secretsKey();

    /** Whether webhooks may name loopback, private or link-local addresses (a platform whose backends are internal). */
    @WithDefault("false")
    boolean webhookAllowPrivateAddresses();

    /** How often due webhook calls, expired inquiries and old inquiries are looked for. */
    @WithDefault("1s")
    Duration sweepInterval();

    /**
     * How long after an inquiry ended a request with its request id is still a repeat of it (answered once, not
     * again); after that the id starts a new inquiry.
     */
    @WithDefault("PT10M")
    Duration duplicateWindow();

    /** How long a Kafka handler's answer waits for an inquiry that was not stored yet; then it is dropped. */
    @WithDefault("PT10M")
    Duration earlyAnswerRetention();

    /** How long an inquiry is kept after it ended; then it is deleted (and its request id may be used again). */
    @WithDefault("P7D")
    Duration retention();
}
