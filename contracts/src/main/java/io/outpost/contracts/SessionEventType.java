package io.outpost.contracts;

/** The life of a device's MQTT session as the bridge sees it. */
public enum SessionEventType {
    /** The device authenticated and its session is open on a node. */
    CONNECTED,
    /** The device subscribed to topics that can receive outbound messages; owners re-publish its pending ones. */
    SUBSCRIBED,
    /** The session ended (device, takeover, keepalive, registry change, shutdown). */
    DISCONNECTED
}
