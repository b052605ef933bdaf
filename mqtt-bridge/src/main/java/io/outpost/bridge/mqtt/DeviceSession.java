package io.outpost.bridge.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.outpost.bridge.delivery.ExpiringMessage;
import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.SessionEventType;
import io.outpost.contracts.Topics;
import io.outpost.messaging.CloudEventRecords;
import io.vertx.core.Context;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttWill;
import io.vertx.mqtt.messages.MqttDisconnectMessage;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;

/**
 * One authenticated device connection on this node. Upstream publishes are checked against the topic policy and
 * sent to Kafka; a QoS 1 publish is acknowledged only after Kafka acknowledged its record. Everything a session does
 * to its endpoint runs on the endpoint's Vert.x context.
 */
final class DeviceSession {
    private static final Logger LOG = Logger.getLogger(DeviceSession.class);
    private static final String OCTET_STREAM = "application/octet-stream";

    private final MqttEndpoint endpoint;
    private final Context context;
    private final MqttGateway gateway;
    private final String tenant;
    private final String device;
    private final Instant incarnation;
    private final String id = UUID.randomUUID().toString();
    private final Protocol protocol;
    private final Instant connectedAt = Instant.now();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicBoolean kafkaFailed = new AtomicBoolean();
    /** Read at connect: a closed endpoint no longer answers it, and DISCONNECTED events need it. */
    private final String remoteAddress;
    private volatile String endReason;
    private OutboundDelivery delivery;
    private final RateLimiter rate;
    private final TopicAliases aliases;
    /** An MQTT 3.1.1 session with CleanSession 0: its subscriptions outlive the connection. */
    private final boolean persistent;

    /** @param incarnation the device's incarnation in the registry view at connect; null if it has none */
    DeviceSession(MqttEndpoint endpoint, Context context, MqttGateway gateway, String tenant, String device,
            Instant incarnation) {
        this.endpoint = endpoint;
        this.context = context;
        this.gateway = gateway;
        this.tenant = tenant;
        this.device = device;
        this.incarnation = incarnation;
        this.protocol = Protocol.of(endpoint.protocolVersion());
        this.remoteAddress = String.valueOf(endpoint.remoteAddress());
        this.rate = gateway.newRateLimiter();
        this.aliases = new TopicAliases(protocol == Protocol.V5 ? gateway.topicAliasMaximum() : 0);
        this.persistent = protocol == Protocol.V3_1_1 && !endpoint.isCleanSession();
    }

    String key() {
        return tenant + "/" + device;
    }

    String id() {
        return id;
    }

    String tenant() {
        return tenant;
    }

    String device() {
        return device;
    }

    Protocol protocol() {
        return protocol;
    }

    Instant connectedAt() {
        return connectedAt;
    }

    String remoteAddress() {
        return remoteAddress;
    }

    void start() {
        endpoint.publishAutoAck(false);
        endpoint.subscriptionAutoAck(false);
        endpoint.publishHandler(this::onPublish);
        delivery = gateway.newDelivery(endpoint, protocol, tenant, device, incarnation, this::outboundOverflowed);
        SessionSubscriptions subscriptions = new SessionSubscriptions(this, endpoint, context, gateway, delivery,
                persistent);
        endpoint.subscribeHandler(subscriptions::onSubscribe);
        endpoint.unsubscribeHandler(subscriptions::onUnsubscribe);
        endpoint.disconnectMessageHandler(this::onDisconnect);
        endpoint.closeHandler(v -> {
            subscriptions.closed();
            delivery.closed();
            if (!"client".equals(endReason)) {
                publishWill();
            }
            gateway.ended(this, endReason == null ? "connection-lost" : endReason);
        });
        endpoint.exceptionHandler(this::onError);
        if (protocol == Protocol.V5) {
            gateway.persistentSubscriptions().forgetKnown(key());
            endpoint.accept(false, ConnAck.properties(gateway.maxPacketBytes(), aliases.maximum(),
                    endpoint.clientIdentifier() == null ? id : null));
        } else if (persistent) {
            subscriptions.restoreAndAccept();
        } else {
            gateway.persistentSubscriptions().forget(key());
            endpoint.accept(false);
        }
    }

    /**
     * Netty's decoder refuses a packet above the announced size (0x95) or one it cannot read (0x81). Vert.x closes
     * the connection right after this handler returns, so the DISCONNECT goes out here, on the event loop.
     */
    private void onError(Throwable error) {
        if (error instanceof TooLongFrameException) {
            gateway.refused(tenant, "packet-too-large");
            endOnContext(MqttDisconnectReasonCode.PACKET_TOO_LARGE, "packet-too-large");
        } else if (error instanceof DecoderException) {
            gateway.refused(tenant, "malformed-packet");
            LOG.debugf("malformed packet from %s: %s", key(), error.toString());
            endOnContext(MqttDisconnectReasonCode.MALFORMED_PACKET, "malformed-packet");
        } else {
            LOG.debugf("session %s of %s: %s", id, key(), error.toString());
        }
    }

    /** A normal DISCONNECT discards the will; MQTT 5's "disconnect with will message" (0x04) publishes it. */
    private void onDisconnect(MqttDisconnectMessage message) {
        if (endReason == null) {
            endReason = message.code() == MqttDisconnectReasonCode.WITH_WILL_MESSAGE ? "client-with-will"
                    : "client";
        }
    }

    /** The will of a connection that ended any other way than a normal DISCONNECT, published as the device. */
    private void publishWill() {
        MqttWill will = endpoint.will();
        if (will == null || !will.isWillFlag()) {
            return;
        }
        TopicPolicy.Upstream upstream = gateway.policy().checkPublish(device, will.getWillTopic()).upstream();
        MqttQoS qos = will.getWillQos() == 0 ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE;
        RecordHeaders headers = headers(upstream, qos, will.getWillProperties());
        CloudEventRecords.add(headers, CloudEventHeaders.MQTT_WILL, "true");
        byte[] payload = will.getWillMessageBytes() == null ? new byte[0] : will.getWillMessageBytes();
        try {
            forward(upstream, payload, headers, (metadata, error) -> {
                if (error != null) {
                    LOG.warnf("will of %s not acknowledged by Kafka: %s", key(), error.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("will of %s not sent: %s", key(), e.toString());
        }
    }

    /** Hands an outbound message to this session's delivery, on the session's context. */
    void deliver(ExpiringMessage message) {
        context.runOnContext(v -> delivery.offer(message));
    }

    /** Drops a revoked message if it still waits here; one already sent cannot be recalled. */
    void revoke(String messageId) {
        context.runOnContext(v -> delivery.revoke(messageId));
    }

    /** More messages than a session may hold wait for the device: it must reconnect so the owners re-send them. */
    private void outboundOverflowed() {
        gateway.outboundOverflowed(tenant);
        end(MqttDisconnectReasonCode.QUOTA_EXCEEDED, "outbound-overflow");
    }

    /** Ends the session from the server side with the reason code the protocol allows. */
    void end(MqttDisconnectReasonCode reason, String why) {
        context.runOnContext(v -> endOnContext(reason, why));
    }

    private void endOnContext(MqttDisconnectReasonCode reason, String why) {
        if (!endpoint.isConnected()) {
            return;
        }
        endReason = why;
        if (protocol == Protocol.V5) {
            endpoint.disconnect(reason, MqttProperties.NO_PROPERTIES);
        }
        // Sending DISCONNECT closes the endpoint already; MQTT 3.1.1 has no server DISCONNECT, only closing.
        if (endpoint.isConnected()) {
            endpoint.close();
        }
    }

    private void onPublish(MqttPublishMessage message) {
        if (message.qosLevel() == MqttQoS.EXACTLY_ONCE) {
            gateway.refused(tenant, "qos2");
            end(MqttDisconnectReasonCode.QOS_NOT_SUPPORTED, "qos-not-supported");
            return;
        }
        // MQTT 3.1.1 has no way to refuse retain: its retained publishes are forwarded like any other.
        if (message.isRetain() && protocol == Protocol.V5) {
            gateway.refused(tenant, "retain");
            end(MqttDisconnectReasonCode.RETAIN_NOT_SUPPORTED, "retain-not-supported");
            return;
        }
        String topic = message.topicName();
        if (protocol == Protocol.V5) {
            TopicAliases.Resolution resolution = aliases.resolve(topic, topicAlias(message.properties()));
            if (resolution.refusal() != null) {
                gateway.refused(tenant, "topic-alias");
                end(resolution.refusal(), "topic-alias");
                return;
            }
            topic = resolution.topic();
        }
        if (!rate.tryAcquire()) {
            refuseOverRate(message);
            return;
        }
        TopicPolicy.PublishCheck check = gateway.policy().checkPublish(device, topic);
        if (check.refusal() != null) {
            refusePublish(message, check.refusal());
            return;
        }
        TopicPolicy.Upstream upstream = check.upstream();
        RecordHeaders headers = headers(upstream, message.qosLevel(), message.properties());
        forward(upstream, message.payload().getBytes(), headers, (metadata, error) -> {
            if (error != null) {
                // Every record in flight fails alike (a broker down): one line per session, not one per record.
                if (kafkaFailed.compareAndSet(false, true)) {
                    LOG.warnf("record of %s not acknowledged by Kafka, closing its session: %s", key(),
                            error.toString());
                }
                end(MqttDisconnectReasonCode.UNSPECIFIED_ERROR, "kafka-error");
            } else if (message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                context.runOnContext(v -> endpoint.publishAcknowledge(message.messageId()));
            }
        });
    }

    private void forward(TopicPolicy.Upstream upstream, byte[] payload, RecordHeaders headers, Callback acknowledged) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(upstream.kafkaTopic(), null, key(), payload,
                headers);
        gateway.messageIn(tenant, upstream.kafkaTopic());
        long sent = System.nanoTime();
        gateway.producer().send(record, (metadata, error) -> {
            gateway.produced(System.nanoTime() - sent);
            acknowledged.onCompletion(metadata, error);
        });
    }

    private void refuseOverRate(MqttPublishMessage message) {
        gateway.refused(tenant, "rate");
        if (protocol == Protocol.V5 && message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
            endpoint.publishAcknowledge(message.messageId(), MqttPubAckReasonCode.QUOTA_EXCEEDED,
                    MqttProperties.NO_PROPERTIES);
        } else if (protocol == Protocol.V3_1_1) {
            end(MqttDisconnectReasonCode.MESSAGE_RATE_TOO_HIGH, "message-rate");
        }
    }

    private void refusePublish(MqttPublishMessage message, TopicPolicy.Refusal refusal) {
        gateway.refused(tenant, "publish-" + refusal.name().toLowerCase());
        LOG.debugf("refused publish of %s to %s: %s", key(), message.topicName(), refusal);
        if (protocol == Protocol.V5 && message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
            endpoint.publishAcknowledge(message.messageId(), refusal == TopicPolicy.Refusal.INVALID
                    ? MqttPubAckReasonCode.TOPIC_NAME_INVALID
                    : MqttPubAckReasonCode.NOT_AUTHORIZED, MqttProperties.NO_PROPERTIES);
        } else {
            // MQTT 3.1.1 cannot refuse a publish; MQTT 5 cannot refuse one at QoS 0: both end the connection.
            end(refusal == TopicPolicy.Refusal.INVALID ? MqttDisconnectReasonCode.TOPIC_NAME_INVALID
                    : MqttDisconnectReasonCode.NOT_AUTHORIZED, "refused-publish");
        }
    }

    private static Integer topicAlias(MqttProperties properties) {
        MqttProperties.MqttProperty<?> alias = properties == null ? null
                : properties.getProperty(MqttProperties.MqttPropertyType.TOPIC_ALIAS.value());
        return alias != null && alias.value() instanceof Integer value ? value : null;
    }

    private RecordHeaders headers(TopicPolicy.Upstream upstream, MqttQoS qos, MqttProperties properties) {
        String contentType = OCTET_STREAM;
        String correlation = null;
        if (properties != null) {
            MqttProperties.MqttProperty<?> type = properties.getProperty(MqttProperties.MqttPropertyType.CONTENT_TYPE.value());
            if (type != null && type.value() instanceof String value && !value.isBlank()) {
                contentType = value;
            }
            MqttProperties.MqttProperty<?> data = properties.getProperty(
                    MqttProperties.MqttPropertyType.CORRELATION_DATA.value());
            if (data != null && data.value() instanceof byte[] bytes) {
                correlation = new String(bytes, StandardCharsets.UTF_8);
            }
        }
        RecordHeaders headers = CloudEventRecords.headers(id + "-" + sequence.incrementAndGet(), gateway.source(),
                upstream.cloudEventType(), Instant.now(), tenant, device, contentType);
        CloudEventRecords.add(headers, CloudEventHeaders.MQTT_TOPIC, upstream.subTopic());
        CloudEventRecords.add(headers, CloudEventHeaders.MQTT_QOS, Integer.toString(qos.value()));
        if (correlation != null) {
            CloudEventRecords.add(headers, CloudEventHeaders.CORRELATION_ID, correlation);
        }
        if (incarnation != null) {
            CloudEventRecords.add(headers, CloudEventHeaders.DEVICE_INCARNATION, incarnation.toString());
        }
        if (Topics.INQUIRIES.equals(upstream.kafkaTopic())) {
            String lifetime = InquiryLifetime.of(properties);
            if (lifetime != null) {
                CloudEventRecords.add(headers, CloudEventHeaders.LIFETIME, lifetime);
            }
        }
        return headers;
    }
}
