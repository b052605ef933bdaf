package io.outpost.bridge.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;

/** What the bridge announces to an MQTT 5 device in CONNACK: exactly what it does (mqtt-bridge/README.md). */
final class ConnAck {
    private ConnAck() {
    }

    /** @param assignedClientIdentifier the id given to a device that connected with an empty one, else null */
    static MqttProperties properties(int maxPacketBytes, int topicAliasMaximum, String assignedClientIdentifier) {
        MqttProperties properties = new MqttProperties();
        integer(properties, MqttPropertyType.MAXIMUM_QOS, 1);
        integer(properties, MqttPropertyType.RETAIN_AVAILABLE, 0);
        integer(properties, MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE, 0);
        integer(properties, MqttPropertyType.WILDCARD_SUBSCRIPTION_AVAILABLE, 1);
        integer(properties, MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1);
        integer(properties, MqttPropertyType.MAXIMUM_PACKET_SIZE, maxPacketBytes);
        integer(properties, MqttPropertyType.TOPIC_ALIAS_MAXIMUM, topicAliasMaximum);
        // The bridge keeps no session state across connections (the durable mailbox lives with the owners),
        // so every session ends with its connection, whatever expiry the client asked for.
        integer(properties, MqttPropertyType.SESSION_EXPIRY_INTERVAL, 0);
        if (assignedClientIdentifier != null) {
            properties.add(new MqttProperties.StringProperty(MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(),
                    assignedClientIdentifier));
        }
        return properties;
    }

    private static void integer(MqttProperties properties, MqttPropertyType type, int value) {
        properties.add(new MqttProperties.IntegerProperty(type.value(), value));
    }
}
