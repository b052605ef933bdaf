package io.outpost.notification.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.mailbox.Clock;
import io.outpost.notification.Notification;
import io.outpost.notification.NotificationState;
import io.outpost.notification.rest.NotificationRequest;
import io.outpost.notification.rest.NotificationView;
import io.outpost.notification.rest.ProgressView;
import io.outpost.rest.MessageBody;

/** Notifications as the API shows them. */
@ApplicationScoped
public class NotificationViews {
    @Inject
    ObjectMapper json;

    public NotificationView detail(Notification notification) {
        return view(notification, progress(notification), null);
    }

    /** In a device's list: when it reached the device (null while pending), no progress over the members. */
    public NotificationView forDevice(Notification notification, Instant deliveredAt) {
        return view(notification, null, deliveredAt);
    }

    private NotificationView view(Notification notification, ProgressView progress, Instant deliveredAt) {
        MessageBody.Shown payload = MessageBody.show(notification.contentType, notification.payload, json);
        return new NotificationView(notification.id, notification.tenantId, target(notification), notification.topic,
                notification.state, notification.stateAt, notification.stateReason, notification.createdBy,
                notification.createdAt, notification.expiresAt, notification.contentType, payload.json(),
                payload.base64(), progress, deliveredAt);
    }

    private static NotificationRequest.TargetRequest target(Notification notification) {
        return switch (notification.audience) {
            case DEVICE -> new NotificationRequest.TargetRequest(notification.target, null, null);
            case GROUP -> new NotificationRequest.TargetRequest(null, notification.target, null);
            case FLEET -> new NotificationRequest.TargetRequest(null, null, true);
        };
    }

    private static ProgressView progress(Notification notification) {
        long missing = Math.max(0, notification.addressed - notification.delivered - notification.undeliverable);
        boolean live = notification.live(Clock.now());
        long pending = live ? missing : 0;
        long revoked = notification.state == NotificationState.REVOKED ? missing : 0;
        long expired = notification.state == NotificationState.EXPIRED ? notification.expired
                : !live && notification.state != NotificationState.REVOKED ? missing : 0;
        return new ProgressView(notification.addressed, notification.delivered, pending, expired, revoked,
                notification.undeliverable);
    }
}
