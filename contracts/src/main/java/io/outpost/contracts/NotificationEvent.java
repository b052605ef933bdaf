package io.outpost.contracts;

import java.time.Instant;

/**
 * A notification's progress: a JSON record on {@link Topics#NOTIFICATION_EVENTS}, keyed {@code {tenant}/{target}}
 * ({@code {tenant}/{device}}, {@code {tenant}/group:{group}} or {@code {tenant}/fleet}), {@code ce_type}
 * {@link CloudEventTypes#NOTIFICATION_EVENT}, {@code ce_subject} the notification id and {@code ce_id}
 * {@code {notificationId}-{type}}.
 *
 * @param audience  device, group or fleet
 * @param target    the device or group id; null for a fleet notification
 * @param addressed members when it was sent (1 for a device)
 * @param delivered members that have it
 * @param expired   members that did not get it before it expired (on EXPIRED)
 * @param reason    who or what caused it, e.g. {@code revoked by alice}
 */
public record NotificationEvent(
        String notificationId,
        String tenant,
        NotificationEventType type,
        Audience audience,
        String target,
        String topic,
        Instant at,
        Instant createdAt,
        Instant expiresAt,
        long addressed,
        long delivered,
        long expired,
        String reason) {
}
