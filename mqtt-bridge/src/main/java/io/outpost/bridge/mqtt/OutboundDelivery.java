package io.outpost.bridge.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.jboss.logging.Logger;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.outpost.bridge.delivery.ExpiringMessage;
import io.outpost.bridge.delivery.ReceiptPublisher;
import io.outpost.bridge.delivery.TopicFilters;
import io.outpost.contracts.DeliveryStatus;
import io.outpost.contracts.InquiryTopics;
import io.outpost.contracts.MessageKind;
import io.outpost.contracts.OutboundMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;

/**
 * The last mile of the mailbox for one session: messages wait until the device has subscribed to a matching filter,
 * go out at QoS 1 with at most {@code inflightWindow} unacknowledged, never after their local deadline (checked right
 * before sending, see {@link ExpiringMessage}; MQTT 5 clients also get the time left as message expiry, the message id
 * as user property {@code outpost-message-id} and as correlation data, except that an inquiry response's correlation
 * data is the device's request id), and produce a DELIVERED receipt on PUBACK. What is unacknowledged when the
 * session ends gets no receipt, so its owner sends it again on the next connect.
 * <p>
 * A group message (or a member's copy of one) is sent only if the device is still a member right before it goes out
 * ({@code addressed}); one whose device left the group meanwhile is dropped without a receipt. A revoked message is
 * dropped if it still waits; one in flight cannot be recalled.
 * <p>
 * Invariants: a message is sent at most once per session: a message whose id this session already has waiting or in
 * flight (all of them) or delivered (the last {@code rememberedIds}) is dropped, and a new session starts empty.
 * Nothing is dropped without its owner sending it again: a message that would overflow the {@code maxWaiting} queue
 * ends the session instead (once; later messages are ignored as the session ends), so the device reconnects and the
 * owners re-publish everything pending. Used only on the session's Vert.x context.
 */
final class OutboundDelivery {
    private static final Logger LOG = Logger.getLogger(OutboundDelivery.class);
    static final String MESSAGE_ID_PROPERTY = "outpost-message-id";

    /** @param rememberedIds ids of delivered messages remembered to drop their repeats */
    record Limits(int inflightWindow, int maxWaiting, int rememberedIds) {
    }

    private final MqttEndpoint endpoint;
    private final Protocol protocol;
    private final String device;
    private final ReceiptPublisher receipts;
    private final Limits limits;
    private final Predicate<ExpiringMessage> addressed;
    private final Runnable overflow;
    private final List<String> filters = new ArrayList<>();
    /** By id, in arrival order. */
    private final Map<String, ExpiringMessage> waiting = new LinkedHashMap<>();
    private final Map<Integer, ExpiringMessage> inflight = new HashMap<>();
    /** Ids of the messages waiting or in flight: at most {@code maxWaiting + inflightWindow}. */
    private final Set<String> held = new HashSet<>();
    private final RecentIds delivered;
    private boolean overflowed;
    private int lastPacketId;

    /**
     * @param addressed true while the message is still for this device (a group message: while it is a member)
     * @param overflow  ends the session; runs once, when a message would overflow the waiting queue
     */
    OutboundDelivery(MqttEndpoint endpoint, Protocol protocol, String device, ReceiptPublisher receipts, Limits limits,
            Predicate<ExpiringMessage> addressed, Runnable overflow) {
        this.endpoint = endpoint;
        this.protocol = protocol;
        this.device = device;
        this.receipts = receipts;
        this.limits = limits;
        this.addressed = addressed;
        this.overflow = overflow;
        this.delivered = new RecentIds(limits.rememberedIds());
        endpoint.publishAcknowledgeHandler(this::acknowledged);
    }

    void offer(ExpiringMessage message) {
        if (overflowed) {
            return;
        }
        if (held.contains(message.id()) || delivered.contains(message.id())) {
            LOG.debugf("%s is already waiting, in flight or delivered in this session of %s: repeat dropped",
                    message.id(), device);
            return;
        }
        if (expired(message)) {
            return;
        }
        if (waiting.size() >= limits.maxWaiting()) {
            overflowed = true;
            // Not lost: without a receipt the owner keeps it pending and sends it again on the next connect.
            LOG.warnf("%d messages already wait for %s; ending its session (quota exceeded) so it reconnects and the "
                    + "owners re-send %s and everything else pending", limits.maxWaiting(), device, message.id());
            overflow.run();
            return;
        }
        held.add(message.id());
        waiting.put(message.id(), message);
        pump();
    }

    void revoke(String messageId) {
        if (waiting.remove(messageId) != null) {
            held.remove(messageId);
            LOG.debugf("revoked %s dropped from the waiting messages of %s", messageId, device);
        }
    }

    void subscribed(String filter) {
        filters.add(filter);
        pump();
    }

    void unsubscribed(String filter) {
        filters.remove(filter);
    }

    private void pump() {
        Iterator<ExpiringMessage> candidates = waiting.values().iterator();
        while (inflight.size() < limits.inflightWindow() && candidates.hasNext()) {
            ExpiringMessage candidate = candidates.next();
            if (!addressed.test(candidate) || expired(candidate)) {
                candidates.remove();
                held.remove(candidate.id());
                continue;
            }
            OutboundMessage message = candidate.message();
            String topic = TopicPolicy.PREFIX + device + "/" + message.mqttTopic();
            if (anyFilterMatches(topic)) {
                candidates.remove();
                send(topic, candidate);
            }
        }
    }

    private boolean anyFilterMatches(String topic) {
        for (String filter : filters) {
            if (TopicFilters.matches(filter, topic)) {
                return true;
            }
        }
        return false;
    }

    private void send(String topic, ExpiringMessage expiring) {
        OutboundMessage message = expiring.message();
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        if (protocol == Protocol.V5) {
            properties = new MqttProperties();
            long remaining = expiring.remainingSeconds(System.nanoTime());
            properties.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(), (int) Math.min(remaining, Integer.MAX_VALUE)));
            if (message.contentType() != null) {
                properties.add(new MqttProperties.StringProperty(MqttProperties.MqttPropertyType.CONTENT_TYPE.value(),
                        message.contentType()));
            }
            String correlation = correlationData(message);
            if (correlation != null) {
                properties.add(new MqttProperties.BinaryProperty(
                        MqttProperties.MqttPropertyType.CORRELATION_DATA.value(),
                        correlation.getBytes(StandardCharsets.UTF_8)));
            }
            properties.add(new MqttProperties.UserProperty(MESSAGE_ID_PROPERTY, message.id()));
        }
        int packetId = nextPacketId();
        inflight.put(packetId, expiring);
        endpoint.publish(topic, Buffer.buffer(message.payload()), MqttQoS.AT_LEAST_ONCE, false, false, packetId,
                properties, sent -> {
                    if (sent.failed()) {
                        LOG.debugf("could not send %s to %s: %s", message.id(), device, sent.cause().toString());
                    }
                });
    }

    /**
     * An inquiry response correlates with the device's request: its request id, read from the topic
     * ({@code inquiries/response/{requestId}/{type}}); none if the topic has no request id. Everything else carries
     * its message id.
     */
    private static String correlationData(OutboundMessage message) {
        if (message.kind() == MessageKind.INQUIRY_RESPONSE) {
            return InquiryTopics.requestIdOf(message.mqttTopic());
        }
        return message.id();
    }

    /** Packet ids run 1..65535 and skip those still unacknowledged (0 is not a valid QoS 1 packet id). */
    private int nextPacketId() {
        do {
            lastPacketId = lastPacketId % 65535 + 1;
        } while (inflight.containsKey(lastPacketId));
        return lastPacketId;
    }

    private void acknowledged(int packetId) {
        ExpiringMessage message = inflight.remove(packetId);
        if (message != null) {
            held.remove(message.id());
            delivered.add(message.id());
            receipts.publish(message.message(), DeliveryStatus.DELIVERED, null);
            pump();
        }
    }

    /** Past its local deadline: an EXPIRED receipt, which is advice only (the owner's clock decides). */
    private boolean expired(ExpiringMessage message) {
        if (!message.expired(System.nanoTime())) {
            return false;
        }
        receipts.publish(message.message(), DeliveryStatus.EXPIRED, "expired before it could be sent");
        return true;
    }
}
