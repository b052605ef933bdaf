package io.outpost.inquiry.service;

import java.time.Duration;

import io.outpost.contracts.InquiryAnswerType;

/**
 * An answer from a handler. {@code ttl} and {@code latestOnly} are null where the handler's defaults apply; for a
 * one-shot inquiry every answer but an error is its last.
 *
 * @param by who answered, for the inquiry's reason: {@code webhook}, {@code kafka}, a caller's name
 */
public record Answer(InquiryAnswerType type, String contentType, byte[] payload, Duration ttl, Boolean latestOnly,
        String by) {
}
