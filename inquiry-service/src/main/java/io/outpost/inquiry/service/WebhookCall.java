package io.outpost.inquiry.service;

import java.time.Duration;

/**
 * One POST to a tenant's webhook, built inside the transaction that opened (or cancelled) the inquiry and sent after it
 * committed.
 *
 * @param expectsAnswer whether the response is applied as the inquiry's answer (an open), or only sent (a cancel)
 */
public record WebhookCall(String inquiryId, String tenant, String device, String url, String secret, Duration timeout,
        byte[] body, boolean expectsAnswer) {
    @Override
    public String toString() {
        return "WebhookCall[" + inquiryId + " -> " + url + "]";
    }
}
