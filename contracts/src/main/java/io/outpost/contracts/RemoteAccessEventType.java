package io.outpost.contracts;

/** What a {@link RemoteAccessEvent} records. */
public enum RemoteAccessEventType {
    /** A fleet, group or device switch was set (on or off). */
    SWITCH_SET,
    /** A switch was removed: the next level decides again. */
    SWITCH_REMOVED,
    /** An operator asked for a tunnel; the device was told. */
    TUNNEL_REQUESTED,
    /** Both sides of a tunnel are connected; bytes flow. */
    TUNNEL_CONNECTED,
    /** A tunnel ended, with why and how many bytes went each way. */
    TUNNEL_CLOSED
}
