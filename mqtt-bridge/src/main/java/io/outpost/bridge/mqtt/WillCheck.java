package io.outpost.bridge.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.vertx.mqtt.MqttWill;

/**
 * Checks the will message of a CONNECT. A will is published like any upstream publish of the device, so its topic
 * must be one the device may publish to. The bridge announces maximum QoS 1 and no retain, so MQTT 5 requires it to
 * refuse a will with QoS 2 ({@code 0x9B}) or the retain flag ({@code 0x9A}); MQTT 3.1.1 has no such codes, and its
 * QoS 2 or retained wills are accepted and published like QoS 1 ones. The will's size is bounded with the CONNECT's,
 * by the bridge's Maximum Packet Size.
 */
final class WillCheck {
    private WillCheck() {
    }

    /** The CONNACK refusal for this will, or null if it is acceptable (or there is none). */
    static MqttConnectReturnCode refusal(MqttWill will, Protocol protocol, String device, TopicPolicy policy) {
        if (will == null || !will.isWillFlag()) {
            return null;
        }
        boolean v5 = protocol == Protocol.V5;
        if (v5 && will.getWillQos() > 1) {
            return MqttConnectReturnCode.CONNECTION_REFUSED_QOS_NOT_SUPPORTED;
        }
        if (v5 && will.isWillRetain()) {
            return MqttConnectReturnCode.CONNECTION_REFUSED_RETAIN_NOT_SUPPORTED;
        }
        TopicPolicy.Refusal refusal = policy.checkPublish(device, will.getWillTopic()).refusal();
        if (refusal == null) {
            return null;
        }
        if (!v5) {
            return MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
        }
        return refusal == TopicPolicy.Refusal.INVALID ? MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID
                : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5;
    }
}
