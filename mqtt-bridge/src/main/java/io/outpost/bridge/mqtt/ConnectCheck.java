package io.outpost.bridge.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;

/**
 * Checks the properties of an MQTT 5 CONNECT: a Receive Maximum or Maximum Packet Size of 0 is a protocol error
 * (§3.1.2.11.3, §3.1.2.11.4), and the bridge has no enhanced authentication (§4.12), so an Authentication Method is
 * refused as a bad one.
 */
final class ConnectCheck {
    private ConnectCheck() {
    }

    /** The CONNACK refusal for these CONNECT properties, or null if they are acceptable. */
    static MqttConnectReturnCode refusal(MqttProperties properties) {
        if (properties == null) {
            return null;
        }
        if (zero(properties, MqttPropertyType.RECEIVE_MAXIMUM) || zero(properties, MqttPropertyType.MAXIMUM_PACKET_SIZE)) {
            return MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR;
        }
        if (properties.getProperty(MqttPropertyType.AUTHENTICATION_METHOD.value()) != null) {
            return MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD;
        }
        return null;
    }

    private static boolean zero(MqttProperties properties, MqttPropertyType type) {
        MqttProperties.MqttProperty<?> property = properties.getProperty(type.value());
        return property != null && property.value() instanceof Integer value && value == 0;
    }
}
