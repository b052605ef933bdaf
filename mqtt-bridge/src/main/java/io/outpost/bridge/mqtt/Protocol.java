package io.outpost.bridge.mqtt;

/** MQTT protocol levels the bridge speaks, as CONNECT announces them. */
enum Protocol {
    V3_1_1("3.1.1"),
    V5("5.0");

    final String label;

    Protocol(String label) {
        this.label = label;
    }

    static Protocol of(int level) {
        return level >= 5 ? V5 : V3_1_1;
    }
}
