package io.outpost.device;

import java.nio.charset.StandardCharsets;

/**
 * A message the platform sent to this device: an inquiry answer (or a notification, for the deprecated
 * {@link OutpostDevice.Builder#onNotification(java.util.function.Consumer)}; see {@link Notification}).
 *
 * @param id          the platform's message id (the same on a redelivered copy)
 * @param topic       the topic below {@code devices/{device}/}, e.g. {@code inquiries/response/{requestId}}
 * @param contentType the payload's media type, or null if the sender gave none
 */
public record Message(String id, String topic, byte[] payload, String contentType) {

    /** The payload as UTF-8 text. */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
