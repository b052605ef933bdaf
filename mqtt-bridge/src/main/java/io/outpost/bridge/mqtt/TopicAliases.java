package io.outpost.bridge.mqtt;

import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;

/**
 * The topic aliases an MQTT 5 device set in this session (MQTT 5 §3.3.2.3.4): a PUBLISH with a topic and an alias
 * binds the alias to the topic, one with an empty topic and an alias uses the bound topic. Aliases live as long as
 * the connection. Used only on the session's context.
 */
final class TopicAliases {
    /** The topic a PUBLISH is for, or the DISCONNECT reason it earns. Exactly one is set. */
    record Resolution(String topic, MqttDisconnectReasonCode refusal) {
        static Resolution refused(MqttDisconnectReasonCode refusal) {
            return new Resolution(null, refusal);
        }
    }

    private final String[] topics;

    /** @param maximum the Topic Alias Maximum announced in CONNACK (0: none) */
    TopicAliases(int maximum) {
        this.topics = new String[maximum + 1];
    }

    int maximum() {
        return topics.length - 1;
    }

    /** @param alias the PUBLISH's Topic Alias property, or null if it has none */
    Resolution resolve(String topic, Integer alias) {
        boolean named = topic != null && !topic.isEmpty();
        if (alias == null) {
            return named ? new Resolution(topic, null) : Resolution.refused(MqttDisconnectReasonCode.PROTOCOL_ERROR);
        }
        if (alias < 1 || alias >= topics.length) {
            return Resolution.refused(MqttDisconnectReasonCode.TOPIC_ALIAS_INVALID);
        }
        if (named) {
            topics[alias] = topic;
            return new Resolution(topic, null);
        }
        String bound = topics[alias];
        return bound == null ? Resolution.refused(MqttDisconnectReasonCode.PROTOCOL_ERROR) : new Resolution(bound, null);
    }
}
