package io.outpost.device;

import java.nio.charset.StandardCharsets;

/**
 * A message the platform sent to this device: an inquiry answer (or a notification, for the deprecated
 * {@link OutpostDevice.Builder#onNotification(java.util.function.Consumer)}; see {@link Notification}).
 *
 * @param id          the platform's message id (the same on a redelivered copy, which the SDK drops), or null if the
 *                    platform sent none
 * @param topic       the topic below {@code devices/{device}/}, e.g. {@code inquiries/response/{requestId}/last}
 * @param contentType the payload's media type, or null if the sender gave none
 */
public record Message(String id, String topic, byte[] payload, String contentType) {

    /** The payload as UTF-8 text. */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /**
     * Whether this is the last answer of its inquiry (topic level {@code last}): the one answer of {@code ask}, or the
     * end of a subscription, after which nothing follows. A subscription that ends without a last answer from the
     * backend gets {@code {"state":"ENDED"|"EXPIRED","reason":"..."}} as this last answer's payload.
     */
    public boolean last() {
        DeviceTopics.InquiryResponse response = DeviceTopics.inquiryResponse(topic);
        return response != null && response.type() == DeviceTopics.AnswerType.LAST;
    }
}
