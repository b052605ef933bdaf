package io.outpost.notification.service;

import java.time.Duration;

import io.outpost.notification.Target;

/** A notification request that passed validation, defaults applied. */
public record ValidNotification(Target target, String topic, String contentType, byte[] payload, Duration ttl,
        String fingerprint) {
}
