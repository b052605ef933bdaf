package io.outpost.bridge.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.jboss.logging.Logger;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.outpost.contracts.SessionEventType;
import io.vertx.core.Context;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttUnsubAckReasonCode;

/**
 * SUBSCRIBE and UNSUBSCRIBE of one session: filters checked against the topic policy, granted at most QoS 1, answered
 * with a reason code per filter (MQTT 5), handed to the session's {@link OutboundDelivery} with their subscription
 * identifier. For a persistent MQTT 3.1.1 session (CleanSession 0) the filters are stored on Kafka before the SUBACK
 * or UNSUBACK goes out, and restored before the CONNACK of its next connection, on whichever node. Used only on the
 * session's context.
 */
final class SessionSubscriptions {
    private static final Logger LOG = Logger.getLogger(SessionSubscriptions.class);

    private final DeviceSession session;
    private final MqttEndpoint endpoint;
    private final Context context;
    private final MqttGateway gateway;
    private final OutboundDelivery delivery;
    private final boolean persistent;
    private boolean closed;

    SessionSubscriptions(DeviceSession session, MqttEndpoint endpoint, Context context, MqttGateway gateway,
            OutboundDelivery delivery, boolean persistent) {
        this.session = session;
        this.endpoint = endpoint;
        this.context = context;
        this.gateway = gateway;
        this.delivery = delivery;
        this.persistent = persistent;
    }

    /** The session ended: answers still waiting for Kafka are not sent. */
    void closed() {
        closed = true;
    }

    /**
     * Accepts a persistent session once its stored subscriptions are restored: session present 1 if it had any, and
     * the owners re-send what is pending as for any subscribe. Refused as "server unavailable" if they cannot be read.
     */
    void restoreAndAccept() {
        gateway.persistentSubscriptions().restore(session.key()).whenComplete((filters, error) ->
                context.runOnContext(v -> {
                    if (closed) {
                        return;
                    }
                    if (error != null) {
                        LOG.warnf("persistent session of %s not restored, connection refused: %s", session.key(),
                                error.toString());
                        endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
                        return;
                    }
                    endpoint.accept(!filters.isEmpty());
                    filters.forEach(filter -> delivery.subscribed(filter, 0));
                    if (!filters.isEmpty()) {
                        gateway.sessionEvent(session, SessionEventType.SUBSCRIBED, null);
                    }
                }));
    }

    void onSubscribe(MqttSubscribeMessage message) {
        int identifier = subscriptionIdentifier(message.properties());
        if (identifier == 0) {
            gateway.refused(session.tenant(), "subscription-identifier");
            session.end(MqttDisconnectReasonCode.PROTOCOL_ERROR, "subscription-identifier-0");
            return;
        }
        List<MqttSubAckReasonCode> codes = new ArrayList<>();
        List<MqttQoS> granted = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        for (MqttTopicSubscription subscription : message.topicSubscriptions()) {
            TopicPolicy.Refusal refusal = gateway.policy().checkSubscribe(session.device(), subscription.topicName());
            if (refusal == null) {
                MqttQoS qos = subscription.qualityOfService() == MqttQoS.AT_MOST_ONCE ? MqttQoS.AT_MOST_ONCE
                        : MqttQoS.AT_LEAST_ONCE;
                granted.add(qos);
                codes.add(qos == MqttQoS.AT_MOST_ONCE ? MqttSubAckReasonCode.GRANTED_QOS0 : MqttSubAckReasonCode.GRANTED_QOS1);
                accepted.add(subscription.topicName());
            } else {
                gateway.refused(session.tenant(), "subscribe-" + refusal.name().toLowerCase());
                LOG.debugf("refused subscription of %s to %s: %s", session.key(), subscription.topicName(), refusal);
                granted.add(MqttQoS.FAILURE);
                codes.add(switch (refusal) {
                    case INVALID -> MqttSubAckReasonCode.TOPIC_FILTER_INVALID;
                    case SHARED -> MqttSubAckReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED;
                    case NOT_AUTHORIZED -> MqttSubAckReasonCode.NOT_AUTHORIZED;
                });
            }
        }
        int kept = Math.max(identifier, 0);
        accepted.forEach(filter -> delivery.subscribed(filter, kept));
        afterStored(!accepted.isEmpty(), () -> {
            if (session.protocol() == Protocol.V5) {
                endpoint.subscribeAcknowledge(message.messageId(), codes, MqttProperties.NO_PROPERTIES);
            } else {
                endpoint.subscribeAcknowledge(message.messageId(), granted);
            }
            if (!accepted.isEmpty()) {
                gateway.sessionEvent(session, SessionEventType.SUBSCRIBED, null);
            }
        });
    }

    /** MQTT 5 answers each filter: removed, or there was no such subscription (§3.11.3). */
    void onUnsubscribe(MqttUnsubscribeMessage message) {
        List<MqttUnsubAckReasonCode> codes = new ArrayList<>();
        for (String filter : message.topics()) {
            codes.add(delivery.unsubscribed(filter) ? MqttUnsubAckReasonCode.SUCCESS
                    : MqttUnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED);
        }
        afterStored(codes.contains(MqttUnsubAckReasonCode.SUCCESS), () -> {
            if (session.protocol() == Protocol.V5) {
                endpoint.unsubscribeAcknowledge(message.messageId(), codes, MqttProperties.NO_PROPERTIES);
            } else {
                endpoint.unsubscribeAcknowledge(message.messageId());
            }
        });
    }

    /**
     * Runs {@code answer} at once, or for a persistent session whose filters changed once Kafka has them; if Kafka
     * does not take them the session ends unanswered, so the device subscribes again.
     */
    private void afterStored(boolean changed, Runnable answer) {
        if (!persistent || !changed) {
            answer.run();
            return;
        }
        CompletionStage<Void> stored = gateway.persistentSubscriptions().save(session.tenant(), session.device(),
                delivery.filters());
        stored.whenComplete((v, error) -> context.runOnContext(x -> {
            if (closed) {
                return;
            }
            if (error == null) {
                answer.run();
            } else {
                LOG.warnf("subscriptions of %s not stored, ending its session: %s", session.key(), error.toString());
                session.end(MqttDisconnectReasonCode.UNSPECIFIED_ERROR, "subscriptions-not-stored");
            }
        }));
    }

    /** The SUBSCRIBE's subscription identifier (MQTT 5 §3.8.2.1.2; 0 is a protocol error), -1 if it has none. */
    private static int subscriptionIdentifier(MqttProperties properties) {
        MqttProperties.MqttProperty<?> identifier = properties == null ? null
                : properties.getProperty(MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value());
        return identifier != null && identifier.value() instanceof Integer value ? value : -1;
    }
}
