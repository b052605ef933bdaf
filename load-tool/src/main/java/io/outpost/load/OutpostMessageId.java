package io.outpost.load;

import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;

/** The MQTT 5 user property {@code outpost-message-id} the bridge puts on every message it delivers to a device. */
final class OutpostMessageId {
    static final String PROPERTY = "outpost-message-id";

    private OutpostMessageId() {
    }

    /** The message's id; null if it carries none (a plain broker's messages never do). */
    static String of(Mqtt5Publish publish) {
        for (Mqtt5UserProperty property : publish.getUserProperties().asList()) {
            if (property.getName().toString().equals(PROPERTY)) {
                return property.getValue().toString();
            }
        }
        return null;
    }
}
