package io.outpost.contracts;

/** What happened to an inquiry ({@link InquiryEvent}); each but OPENED and STREAMING is its last. */
public enum InquiryEventType {
    /** The device asked; the handler is being asked. */
    OPENED,
    /** A continuing inquiry got its first answer; later answers are counted, not announced one by one. */
    STREAMING,
    /** A one-shot inquiry got its answer. */
    ANSWERED,
    /** The backend ended a continuing inquiry. */
    ENDED,
    /** The device cancelled it. */
    CANCELLED,
    /** Its lifetime ran out. */
    EXPIRED,
    /** No handler, the handler failed or timed out, or the device asked too often: the device got an error answer. */
    FAILED
}
