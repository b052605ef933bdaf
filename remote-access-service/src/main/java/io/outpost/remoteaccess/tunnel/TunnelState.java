package io.outpost.remoteaccess.tunnel;

/** OPENING (asked for, the device told) -> OPEN (both sides connected) -> CLOSED; or OPENING -> CLOSED. */
public enum TunnelState {
    OPENING,
    OPEN,
    CLOSED
}
