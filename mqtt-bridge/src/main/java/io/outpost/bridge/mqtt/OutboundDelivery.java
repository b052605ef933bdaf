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
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.outpost.bridge.delivery.DeliveryTracing;
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
 * go out at QoS 1 with at most {@code inflightWindow} unacknowledged (never more than the device's Receive Maximum),
 * never after their local deadline (checked right before sending, see {@link ExpiringMessage}; MQTT 5 clients also get
 * the time left as message expiry, the message id as user property {@code outpost-message-id} and as correlation data,
 * except that an inquiry response's correlation data is the device's request id, and the identifiers of the matching
 * subscriptions), and produce a DELIVERED receipt on PUBACK. What is unacknowledged when the session ends gets no
 * receipt, so its owner sends it again on the next connect. A message whose PUBLISH would exceed the device's Maximum
 * Packet Size is not sent: its owner gets an UNDELIVERABLE receipt.
 * <p>
 * A group message (or a member's copy of one) is sent only if the device is still a member right before it goes out
 * ({@code addressed}); one whose device left the group meanwhile is dropped without a receipt, and so is a message
 * stored for an earlier incarnation of the device (deleted and created again with the same id). A revoked message is
 * dropped if it still waits; one in flight cannot be recalled.
 * <p>
 * Invariants: a message is sent at most once per session: a message whose id this session already has waiting or in
 * flight (all of them) or delivered (the last {@code rememberedIds}) is dropped, and a new session starts empty.
 * Nothing is dropped without its owner sending it again: a message that would overflow the {@code maxWaiting} queue
 * ends the session instead (once; later messages are ignored as the session ends), so the device reconnects and the
 * owners re-publish everything pending. Used only on the session's Vert.x context.
 * <p>
 * With tracing on, each message that came with a trace context is the span "deliver {kind}" from its PUBLISH to its
 * PUBACK ({@link DeliveryTracing}); one still unacknowledged when the session ends ends as an error.
 */
final class OutboundDelivery {
    private static final Logger LOG = Logger.getLogger(OutboundDelivery.class);
    static final String MESSAGE_ID_PROPERTY = "outpost-message-id";

    /**
     * @param inflightWindow  unacknowledged messages at most: the smaller of the bridge's window and the device's
     *                        Receive Maximum
     * @param rememberedIds   ids of delivered messages remembered to drop their repeats
     * @param maxPacketBytes  the device's Maximum Packet Size: a larger PUBLISH is never sent
     */
    record Limits(int inflightWindow, int maxWaiting, int rememberedIds, int maxPacketBytes) {
    }

    private final MqttEndpoint endpoint;
    private final Protocol protocol;
    private final String device;
    private final ReceiptPublisher receipts;
    private final Limits limits;
    private final Predicate<ExpiringMessage> addressed;
    private final Runnable overflow;
    private final DeliveryTracing tracing;
    /** Delivery spans of messages in flight, by packet id; null until the first traced message goes out. */
    private Map<Integer, Span> spans;
    /** The session's subscriptions: filter to its MQTT 5 subscription identifier, 0 if it has none. */
    private final Map<String, Integer> subscriptions = new LinkedHashMap<>();
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
            Predicate<ExpiringMessage> addressed, Runnable overflow, DeliveryTracing tracing) {
        this.endpoint = endpoint;
        this.protocol = protocol;
        this.device = device;
        this.receipts = receipts;
        this.limits = limits;
        this.addressed = addressed;
        this.overflow = overflow;
        this.tracing = tracing;
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

    /** A new subscription, or one that replaces the same filter's (with its identifier, 0 for none). */
    void subscribed(String filter, int subscriptionIdentifier) {
        subscriptions.put(filter, subscriptionIdentifier);
        pump();
    }

    /** The session's subscribed filters, oldest first. */
    List<String> filters() {
        return List.copyOf(subscriptions.keySet());
    }

    /** @return false if the session had no such subscription */
    boolean unsubscribed(String filter) {
        return subscriptions.remove(filter) != null;
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
            List<Integer> matching = matchingSubscriptions(topic);
            if (matching.isEmpty()) {
                continue;
            }
            candidates.remove();
            PublishPacket packet = packet(candidate, matching);
            int size = packet.size(protocol, topic, candidate.message().payload().length);
            if (size > limits.maxPacketBytes()) {
                undeliverable(candidate, size);
            } else {
                send(topic, candidate, packet);
            }
        }
    }

    /** The identifiers of the subscriptions whose filter matches (0 for one without); empty if none matches. */
    private List<Integer> matchingSubscriptions(String topic) {
        List<Integer> matching = List.of();
        for (Map.Entry<String, Integer> subscription : subscriptions.entrySet()) {
            if (TopicFilters.matches(subscription.getKey(), topic)) {
                if (matching.isEmpty()) {
                    matching = new ArrayList<>(2);
                }
                matching.add(subscription.getValue());
            }
        }
        return matching;
    }

    private PublishPacket packet(ExpiringMessage expiring, List<Integer> subscriptionIdentifiers) {
        PublishPacket packet = new PublishPacket();
        if (protocol != Protocol.V5) {
            return packet;
        }
        OutboundMessage message = expiring.message();
        packet.expiry(expiring.remainingSeconds(System.nanoTime()));
        if (message.contentType() != null) {
            packet.contentType(message.contentType());
        }
        String correlation = correlationData(message);
        if (correlation != null) {
            packet.correlationData(correlation.getBytes(StandardCharsets.UTF_8));
        }
        packet.userProperty(MESSAGE_ID_PROPERTY, message.id());
        for (int identifier : subscriptionIdentifiers) {
            if (identifier > 0) {
                packet.subscriptionIdentifier(identifier);
            }
        }
        return packet;
    }

    /** MQTT 5 §3.1.2.11.4: a packet the device cannot take is not sent; its owner learns it never will be. */
    private void undeliverable(ExpiringMessage expiring, int size) {
        held.remove(expiring.id());
        LOG.debugf("%s is %d bytes, more than the %d bytes %s accepts: not sent", expiring.id(), size,
                limits.maxPacketBytes(), device);
        receipts.publish(expiring.message(), DeliveryStatus.UNDELIVERABLE, "larger than the device accepts: a "
                + size + "-byte packet, its Maximum Packet Size is " + limits.maxPacketBytes());
    }

    private void send(String topic, ExpiringMessage expiring, PublishPacket packet) {
        OutboundMessage message = expiring.message();
        MqttProperties properties = protocol == Protocol.V5 ? packet.properties() : MqttProperties.NO_PROPERTIES;
        int packetId = nextPacketId();
        inflight.put(packetId, expiring);
        if (expiring.trace() != null) {
            traced(packetId, tracing.sending(expiring, topic));
        }
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

    private void traced(int packetId, Span span) {
        if (spans == null) {
            spans = new HashMap<>();
        }
        spans.put(packetId, span);
    }

    /** The session ended: spans of messages still unacknowledged end as errors (their owners send them again). */
    void closed() {
        if (spans != null) {
            spans.values().forEach(span -> span.setStatus(StatusCode.ERROR, "session ended before PUBACK").end());
            spans.clear();
        }
    }

    private void acknowledged(int packetId) {
        ExpiringMessage message = inflight.remove(packetId);
        Span span = spans == null ? null : spans.remove(packetId);
        if (span != null) {
            span.end();
        }
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
