package io.outpost.contracts;

import java.time.Instant;

/**
 * An inquiry's progress: a JSON record on {@link Topics#INQUIRY_EVENTS}, keyed {@code {tenant}/{device}},
 * {@code ce_type} {@link CloudEventTypes#INQUIRY_EVENT}, {@code ce_subject} the inquiry id and {@code ce_id}
 * {@code {inquiryId}-{type}}.
 *
 * @param requestId  the device's request id (unique per device)
 * @param continuing whether answers continue until it ends (subscribe) or it gets one (request)
 * @param answers    answers sent to the device so far
 * @param reason     who or what caused it, e.g. {@code cancelled by the device}, {@code no handler for weather}
 */
public record InquiryEvent(
        String inquiryId,
        String tenant,
        String device,
        String name,
        String requestId,
        boolean continuing,
        InquiryEventType type,
        Instant at,
        Instant openedAt,
        Instant expiresAt,
        long answers,
        String reason) {
}
