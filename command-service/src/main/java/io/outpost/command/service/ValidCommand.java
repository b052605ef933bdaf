package io.outpost.command.service;

import java.time.Duration;

/**
 * A checked command request, defaults applied.
 *
 * @param contentType null for an empty payload without a declared type
 * @param fingerprint identifies the request for {@code Idempotency-Key} comparison
 */
public record ValidCommand(String name, String contentType, byte[] payload, Duration ttl, Duration replyTimeout,
        String fingerprint) {
}
