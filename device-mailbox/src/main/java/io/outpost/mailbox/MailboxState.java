package io.outpost.mailbox;

/** Where a message is on its way to the device. Only PENDING messages are (re-)published; the others are final. */
public enum MailboxState {
    /** Stored, not yet acknowledged by the device. */
    PENDING,
    /** The device acknowledged it. */
    DELIVERED,
    /** Its expiry passed before the device acknowledged it. */
    EXPIRED,
    /** Withdrawn by its owner before delivery. */
    CANCELLED,
    /** The device can never take it: larger than the Maximum Packet Size it announced (an UNDELIVERABLE receipt). */
    UNDELIVERABLE
}
