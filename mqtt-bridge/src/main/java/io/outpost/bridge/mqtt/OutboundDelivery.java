package io.outpost.bridge.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.outpost.bridge.delivery.ReceiptPublisher;
import io.outpost.bridge.delivery.TopicFilters;
import io.outpost.contracts.DeliveryStatus;
import io.outpost.contracts.OutboundMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;

/**
 * The last mile of the mailbox for one session: messages wait until the device has subscribed to a matching filter,
 * go out at QoS 1 with at most {@code window} unacknowledged, never after their expiry (checked right before
 * sending; MQTT 5 clients also get the remaining time as message expiry), and produce a DELIVERED receipt on PUBACK.
 * What is unacknowledged when the session ends gets no receipt, so its owner sends it again on the next connect.
 * Used only on the session's Vert.x context.
 */
final class OutboundDelivery {
    private static final Logger LOG = Logger.getLogger(OutboundDelivery.class);
    static final String MESSAGE_ID_PROPERTY = "outpost-message-id";

    private final MqttEndpoint endpoint;
    private final Protocol protocol;
    private final String device;
    private final ReceiptPublisher receipts;
    private final int window;
    private final int maxWaiting;
    private final List<String> filters = new ArrayList<>();
    private final Deque<OutboundMessage> waiting = new ArrayDeque<>();
    private final Map<Integer, OutboundMessage> inflight = new HashMap<>();
    private int lastPacketId;

    OutboundDelivery(MqttEndpoint endpoint, Protocol protocol, String device, ReceiptPublisher receipts, int window,
            int maxWaiting) {
        this.endpoint = endpoint;
        this.protocol = protocol;
        this.device = device;
        this.receipts = receipts;
        this.window = window;
        this.maxWaiting = maxWaiting;
        endpoint.publishAcknowledgeHandler(this::acknowledged);
    }

    void offer(OutboundMessage message) {
        if (expired(message)) {
            return;
        }
        if (waiting.size() >= maxWaiting) {
            // Not lost: without a receipt the owner keeps it pending and sends it again on the next connect.
            LOG.warnf("%d messages already wait for %s; %s left to its owner's next re-publish", maxWaiting, device,
                    message.id());
            return;
        }
        waiting.add(message);
        pump();
    }

    void subscribed(String filter) {
        filters.add(filter);
        pump();
    }

    void unsubscribed(String filter) {
        filters.remove(filter);
    }

    private void pump() {
        Iterator<OutboundMessage> candidates = waiting.iterator();
        while (inflight.size() < window && candidates.hasNext()) {
            OutboundMessage message = candidates.next();
            if (expired(message)) {
                candidates.remove();
                continue;
            }
            String topic = TopicPolicy.PREFIX + device + "/" + message.mqttTopic();
            if (filters.stream().anyMatch(filter -> TopicFilters.matches(filter, topic))) {
                candidates.remove();
                send(topic, message);
            }
        }
    }

    private void send(String topic, OutboundMessage message) {
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        if (protocol == Protocol.V5) {
            properties = new MqttProperties();
            long remaining = Math.max(1, (message.expiresAt().toEpochMilli() - System.currentTimeMillis() + 999) / 1000);
            properties.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(), (int) Math.min(remaining, Integer.MAX_VALUE)));
            if (message.contentType() != null) {
                properties.add(new MqttProperties.StringProperty(MqttProperties.MqttPropertyType.CONTENT_TYPE.value(),
                        message.contentType()));
            }
            properties.add(new MqttProperties.BinaryProperty(MqttProperties.MqttPropertyType.CORRELATION_DATA.value(),
                    message.id().getBytes(StandardCharsets.UTF_8)));
            properties.add(new MqttProperties.UserProperty(MESSAGE_ID_PROPERTY, message.id()));
        }
        int packetId = nextPacketId();
        inflight.put(packetId, message);
        endpoint.publish(topic, Buffer.buffer(message.payload()), MqttQoS.AT_LEAST_ONCE, false, false, packetId,
                properties, sent -> {
                    if (sent.failed()) {
                        LOG.debugf("could not send %s to %s: %s", message.id(), device, sent.cause().toString());
                    }
                });
    }

    /** Packet ids run 1..65535 and skip those still unacknowledged (0 is not a valid QoS 1 packet id). */
    private int nextPacketId() {
        do {
            lastPacketId = lastPacketId % 65535 + 1;
        } while (inflight.containsKey(lastPacketId));
        return lastPacketId;
    }

    private void acknowledged(int packetId) {
        OutboundMessage message = inflight.remove(packetId);
        if (message != null) {
            receipts.publish(message, DeliveryStatus.DELIVERED, null);
            pump();
        }
    }

    private boolean expired(OutboundMessage message) {
        if (Instant.now().isBefore(message.expiresAt())) {
            return false;
        }
        receipts.publish(message, DeliveryStatus.EXPIRED, "expired before the device acknowledged it");
        return true;
    }
}
