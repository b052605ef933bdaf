package io.outpost.bridge.mqtt;

import java.nio.charset.StandardCharsets;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;

/**
 * The properties of an outbound QoS 1 PUBLISH, counted as they are added, so the packet's size on the wire is known
 * before it is sent: a device's Maximum Packet Size (MQTT 5 §3.1.2.11.4) counts the whole packet, fixed header
 * included. MQTT 3.1.1 packets carry no properties.
 */
final class PublishPacket {
    private final MqttProperties properties = new MqttProperties();
    private int propertyBytes;

    PublishPacket expiry(long seconds) {
        properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(),
                (int) Math.min(seconds, Integer.MAX_VALUE)));
        propertyBytes += 1 + 4;
        return this;
    }

    PublishPacket contentType(String contentType) {
        properties.add(new MqttProperties.StringProperty(MqttPropertyType.CONTENT_TYPE.value(), contentType));
        propertyBytes += 1 + 2 + utf8Length(contentType);
        return this;
    }

    PublishPacket correlationData(byte[] data) {
        properties.add(new MqttProperties.BinaryProperty(MqttPropertyType.CORRELATION_DATA.value(), data));
        propertyBytes += 1 + 2 + data.length;
        return this;
    }

    PublishPacket userProperty(String name, String value) {
        properties.add(new MqttProperties.UserProperty(name, value));
        propertyBytes += 1 + 2 + utf8Length(name) + 2 + utf8Length(value);
        return this;
    }

    PublishPacket subscriptionIdentifier(int identifier) {
        properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), identifier));
        propertyBytes += 1 + variableByteIntegerLength(identifier);
        return this;
    }

    MqttProperties properties() {
        return properties;
    }

    /** Bytes of the whole PUBLISH: fixed header, topic, packet id, properties (MQTT 5 only) and payload. */
    int size(Protocol protocol, String topic, int payloadLength) {
        int remaining = 2 + utf8Length(topic) + 2 + payloadLength;
        if (protocol == Protocol.V5) {
            remaining += variableByteIntegerLength(propertyBytes) + propertyBytes;
        }
        return 1 + variableByteIntegerLength(remaining) + remaining;
    }

    static int variableByteIntegerLength(int value) {
        int length = 1;
        while (value >= 128) {
            value /= 128;
            length++;
        }
        return length;
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
