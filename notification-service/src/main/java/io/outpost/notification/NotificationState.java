package io.outpost.notification;

/**
 * ACTIVE until every member addressed has it (FINISHED), it is revoked (REVOKED) or its time runs out first (EXPIRED).
 * A FINISHED group or fleet notification still reaches members that join until it expires.
 */
public enum NotificationState {
    ACTIVE,
    FINISHED,
    REVOKED,
    EXPIRED;

    public boolean isFinal() {
        return this == REVOKED || this == EXPIRED;
    }
}
