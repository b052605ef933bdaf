package io.outpost.bridge.mqtt;

/** The bridge's MQTT listeners; the TLS ones run only when a certificate is configured. */
public enum Listener {
    TCP("tcp"),
    WEBSOCKET("websocket"),
    TLS("tls"),
    TLS_WEBSOCKET("tls-websocket");

    final String label;

    Listener(String label) {
        this.label = label;
    }
}
