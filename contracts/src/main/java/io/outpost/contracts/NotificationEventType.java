package io.outpost.contracts;

/** What happened to a notification ({@link NotificationEvent}). */
public enum NotificationEventType {
    /** Accepted and published. */
    SENT,
    /** Every member addressed has it; members joining a group still get it until it expires. */
    FINISHED,
    /** Revoked: nothing more is delivered. */
    REVOKED,
    /** Its time ran out before every member had it. */
    EXPIRED
}
