package io.outpost.contracts;

/** The life of a bridge node, see {@link BridgeNodeEvent}. */
public enum BridgeNodeEventType {
    STARTED,
    ALIVE,
    STOPPED
}
