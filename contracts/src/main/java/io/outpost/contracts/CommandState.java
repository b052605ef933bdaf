package io.outpost.contracts;

/**
 * The life of a command (ARCHITECTURE.md, "Command states"): PENDING -> DELIVERED -> SUCCEEDED | FAILED;
 * PENDING -> EXPIRED | CANCELLED; DELIVERED -> TIMED_OUT. SUCCEEDED, FAILED, EXPIRED, TIMED_OUT and CANCELLED are
 * final.
 */
public enum CommandState {
    /** Stored in the device's mailbox, not yet acknowledged by the device. */
    PENDING,
    /** The device acknowledged it (MQTT PUBACK); its reply is awaited until the reply deadline. */
    DELIVERED,
    /** The device replied with a success status. */
    SUCCEEDED,
    /** The device replied with a failure status. */
    FAILED,
    /** Its lifetime ended before the device acknowledged it; it is never delivered. */
    EXPIRED,
    /** Delivered, but no reply arrived before the reply deadline. */
    TIMED_OUT,
    /** Cancelled by the caller while still pending. */
    CANCELLED
}
