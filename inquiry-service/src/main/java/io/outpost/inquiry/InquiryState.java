package io.outpost.inquiry;

/**
 * Where an inquiry is: OPEN -> ANSWERED (one-shot) | STREAMING (a continuing one's first answer) -> ENDED (backend) |
 * CANCELLED (device) | EXPIRED (lifetime) | FAILED (no handler, handler error, rate limit). Only OPEN and STREAMING
 * take answers.
 */
public enum InquiryState {
    OPEN,
    ANSWERED,
    STREAMING,
    ENDED,
    CANCELLED,
    EXPIRED,
    FAILED;

    public boolean live() {
        return this == OPEN || this == STREAMING;
    }
}
