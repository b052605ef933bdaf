package io.outpost.testsupport;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.outpost.contracts.BridgeNodeEvent;
import io.outpost.contracts.BridgeNodeEventType;
import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.DeliveryReceipt;
import io.outpost.contracts.DeliveryStatus;
import io.outpost.contracts.DeviceSessionEvent;
import io.outpost.contracts.MessageKind;
import io.outpost.contracts.SessionEventType;
import io.outpost.contracts.Topics;

/**
 * Plays the MQTT bridge on Kafka for owner tests (commands, notifications, inquiries), with the records and headers the
 * real one writes: session events, delivery receipts and device replies (ce_mqtttopic below {@code devices/{d}/}, content type, payload untouched).
 */
public final class FakeBridge {
    public static final String NODE = "node-test";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final KafkaProducer<String, byte[]> PRODUCER = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, InProcessKafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0),
            new StringSerializer(), new ByteArraySerializer());

    private FakeBridge() {
    }

    public static void session(String tenant, String device, SessionEventType type, String sessionId) {
        session(tenant, device, type, sessionId, Instant.now());
    }

    /**
     * Connects the device (a CONNECTED of a new session) and waits until the owner's mailbox ({@code dataSource}) holds
     * it online, so what is sent from now on is published at once.
     *
     * @return the session id
     */
    public static String connected(DataSource dataSource, String tenant, String device) {
        String session = "session-" + UUID.randomUUID();
        session(tenant, device, SessionEventType.CONNECTED, session);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!online(dataSource, tenant, device, session)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(tenant + "/" + device + " not online in the mailbox within 20 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(25));
        }
        return session;
    }

    private static boolean online(DataSource dataSource, String tenant, String device, String session) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select 1 from mailbox_session"
                        + " where tenant_id = ? and device_id = ? and session_id = ? and online")) {
            select.setString(1, tenant);
            select.setString(2, device);
            select.setString(3, session);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A session event the node recorded at {@code at}, e.g. a late one of an older session. */
    public static void session(String tenant, String device, SessionEventType type, String sessionId, Instant at) {
        sessionOn(NODE, tenant, device, type, sessionId, at);
    }

    /** A session event of the given node. */
    public static void sessionOn(String node, String tenant, String device, SessionEventType type, String sessionId,
            Instant at) {
        DeviceSessionEvent event = new DeviceSessionEvent(tenant, device, type, sessionId, node, at, null,
                "5.0", "127.0.0.1:40000");
        send(Topics.DEVICE_SESSIONS, tenant, device, json(event), CloudEventTypes.DEVICE_SESSION, "application/json",
                Map.of());
    }

    public static void receipt(String tenant, String device, String messageId, DeliveryStatus status) {
        receipt(tenant, device, messageId, status, MessageKind.COMMAND);
    }

    public static void receipt(String tenant, String device, String messageId, DeliveryStatus status,
            MessageKind kind) {
        DeliveryReceipt receipt = new DeliveryReceipt(messageId, tenant, device, kind, status, Instant.now(), NODE,
                status == DeliveryStatus.DELIVERED ? null : "test");
        send(Topics.DELIVERY_RECEIPTS, tenant, device, json(receipt), CloudEventTypes.DELIVERY_RECEIPT,
                "application/json", Map.of());
    }

    /** A bridge node's heartbeat, start or stop, keyed by the node id as the real nodes write it. */
    public static void node(String node, BridgeNodeEventType type, Instant startedAt, long intervalMillis) {
        BridgeNodeEvent event = new BridgeNodeEvent(node, type, startedAt, Instant.now(), intervalMillis);
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.TYPE, CloudEventTypes.BRIDGE_NODE.getBytes(StandardCharsets.UTF_8));
        try {
            PRODUCER.send(new ProducerRecord<>(Topics.BRIDGE_NODES, null, node, json(event), headers))
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not write to " + Topics.BRIDGE_NODES, e);
        }
    }

    /** A reply as the bridge forwards it from {@code devices/{device}/commands/response/{commandId}[/{status}]}. */
    public static void reply(String tenant, String device, String commandId, String status, String contentType,
            String body) {
        String topic = "commands/response/" + commandId + (status == null ? "" : "/" + status);
        send(Topics.COMMAND_RESPONSES, tenant, device, body.getBytes(StandardCharsets.UTF_8),
                CloudEventTypes.COMMAND_RESPONSE, contentType, Map.of(CloudEventHeaders.MQTT_TOPIC, topic,
                        CloudEventHeaders.MQTT_QOS, "1"));
    }

    public static void send(String topic, String tenant, String device, byte[] value, String type, String contentType,
            Map<String, String> extra) {
        RecordHeaders headers = new RecordHeaders();
        Map<String, String> values = new LinkedHashMap<>();
        values.put(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        values.put(CloudEventHeaders.ID, UUID.randomUUID().toString());
        values.put(CloudEventHeaders.SOURCE, "/outpost/mqtt-bridge/" + NODE);
        values.put(CloudEventHeaders.TYPE, type);
        values.put(CloudEventHeaders.TIME, Instant.now().toString());
        values.put(CloudEventHeaders.TENANT, tenant);
        values.put(CloudEventHeaders.DEVICE, device);
        values.put(CloudEventHeaders.CONTENT_TYPE, contentType);
        values.putAll(extra);
        values.forEach((name, text) -> headers.add(name, text.getBytes(StandardCharsets.UTF_8)));
        try {
            PRODUCER.send(new ProducerRecord<>(topic, null, tenant + "/" + device, value, headers))
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not write to " + topic, e);
        }
    }

    /** The record as JSON, plus a field this version of the contracts does not know, as a newer bridge might send. */
    private static byte[] json(Object value) {
        try {
            ObjectNode tree = JSON.valueToTree(value);
            tree.put("addedByANewerBridge", true);
            return JSON.writeValueAsBytes(tree);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
