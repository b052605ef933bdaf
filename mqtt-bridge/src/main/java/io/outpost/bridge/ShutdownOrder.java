package io.outpost.bridge;

import jakarta.interceptor.Interceptor;

/**
 * The order in which a node's parts stop on a clean shutdown, as {@code @Priority} of their {@code ShutdownEvent}
 * observers (lower first): the sessions end (their wills are sent), then what they leave behind is flushed (pending
 * receipts, the STOPPED heartbeat), and only then does the one producer close.
 */
public final class ShutdownOrder {
    /** The MQTT listeners stop accepting and every session ends (CDI's default observer priority). */
    public static final int SESSIONS = Interceptor.Priority.APPLICATION + 500;
    /** Receipts still pending are sent, and STOPPED is published, each waiting for Kafka's acknowledgement. */
    public static final int FLUSH = SESSIONS + 100;
    /** The producer closes; nothing may be sent after this. */
    public static final int PRODUCER = FLUSH + 100;

    private ShutdownOrder() {
    }
}
