package io.outpost.bridge;

import static io.outpost.bridge.RawMqtt5.DISCONNECT;
import static io.outpost.bridge.RawMqtt5.PUBACK;
import static io.outpost.bridge.RawMqtt5.PUBLISH;
import static io.outpost.bridge.RawMqtt5.SUBACK;
import static io.outpost.bridge.RawMqtt5.UNSUBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;

import io.outpost.bridge.RawMqtt5.Packet;
import io.outpost.bridge.RawMqtt5.Props;
import io.outpost.bridge.mqtt.MqttGateway;
import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.DeliveryReceipt;
import io.outpost.contracts.DeliveryStatus;
import io.outpost.contracts.Topics;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.TestOwner;
import io.outpost.testsupport.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The bridge against the MQTT 5 specification, one rule per test, with a raw client that sends exactly the packets
 * the rule is about: what a constrained device announces is honoured, what the bridge announces is what it does.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class MqttConformanceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** How long a test watches for a packet that must not come. */
    private static final Duration QUIET = Duration.ofSeconds(2);

    @Inject
    MqttGateway gateway;
    @Inject
    DeviceDirectory directory;
    @Inject
    ObjectMapper json;

    @Test
    void connackAnnouncesWhatTheBridgeDoes() throws Exception {
        String tenant = device("sensor");
        try (RawMqtt5 client = new RawMqtt5(gateway.port(), tenant, "sensor")) {
            assertEquals(0, client.connackReason());
            Map<Integer, List<Object>> announced = client.connackProperties();
            assertEquals(List.of(1), announced.get(RawMqtt5.MAXIMUM_QOS));
            assertEquals(List.of(0), announced.get(RawMqtt5.RETAIN_AVAILABLE));
            assertEquals(List.of(0), announced.get(RawMqtt5.SHARED_AVAILABLE));
            assertEquals(List.of(1), announced.get(RawMqtt5.WILDCARD_AVAILABLE));
            assertEquals(List.of(1), announced.get(RawMqtt5.SUBSCRIPTION_IDS_AVAILABLE));
            assertEquals(List.of(16), announced.get(RawMqtt5.TOPIC_ALIAS_MAXIMUM));
            assertEquals(List.of(327_680), announced.get(RawMqtt5.MAXIMUM_PACKET_SIZE));
            assertEquals(List.of(0), announced.get(RawMqtt5.SESSION_EXPIRY));
            assertNull(announced.get(RawMqtt5.ASSIGNED_CLIENT_ID), "the device chose its client id");
        }
    }

    @Test
    void emptyClientIdWithCleanStartGetsAnAssignedClientIdentifier() throws Exception {
        String tenant = device("sensor");
        try (RawMqtt5 client = new RawMqtt5(gateway.port(), tenant, "sensor", "", new Props())) {
            assertEquals(0, client.connackReason());
            List<Object> assigned = client.connackProperties().get(RawMqtt5.ASSIGNED_CLIENT_ID);
            assertEquals(1, assigned.size());
            assertFalse(((String) assigned.get(0)).isEmpty());
        }
    }

    @Test
    void connectWithAZeroLimitIsAProtocolErrorAndEnhancedAuthenticationIsRefused() throws Exception {
        String tenant = device("sensor");
        assertEquals(0x82, connackReason(tenant, new Props().twoBytes(RawMqtt5.RECEIVE_MAXIMUM, 0)));
        assertEquals(0x82, connackReason(tenant, new Props().fourBytes(RawMqtt5.MAXIMUM_PACKET_SIZE, 0)));
        assertEquals(0x8C, connackReason(tenant, new Props().string(RawMqtt5.AUTHENTICATION_METHOD, "SCRAM-SHA-1")));
    }

    @Test
    void subscriptionIdentifierZeroIsAProtocolError() throws Exception {
        String tenant = device("valve");
        try (RawMqtt5 valve = new RawMqtt5(gateway.port(), tenant, "valve")) {
            valve.subscribe(1, new Props().varInt(RawMqtt5.SUBSCRIPTION_ID, 0), "devices/valve/commands/#");
            Packet answer = valve.await(DISCONNECT, WAIT);
            assertEquals(DISCONNECT, answer.type());
            assertEquals(0x82, RawMqtt5.reasonCode(answer));
        }
    }

    @Test
    void neverMoreUnacknowledgedMessagesThanTheDevicesReceiveMaximum() throws Exception {
        // given a device that can hold two unacknowledged messages (the bridge's own window is 10)
        String tenant = device("modem");
        try (RawMqtt5 modem = new RawMqtt5(gateway.port(), tenant, "modem", "modem",
                new Props().twoBytes(RawMqtt5.RECEIVE_MAXIMUM, 2))) {
            modem.subscribe(1, new Props(), "devices/modem/commands/#");
            modem.await(SUBACK, WAIT);

            // when four commands wait for it
            for (int i = 1; i <= 4; i++) {
                send(tenant, "modem", "commands/request/c-" + i + "/ping", "p" + i);
            }

            // then two arrive, and the third only once one of them is acknowledged
            Packet first = modem.await(PUBLISH, WAIT);
            Packet second = modem.await(PUBLISH, WAIT);
            assertEquals(PUBLISH, second.type());
            assertNull(modem.read(QUIET), "a third PUBLISH while two are unacknowledged");
            modem.puback(RawMqtt5.publish(first).packetId());
            Packet third = modem.await(PUBLISH, WAIT);
            assertEquals(PUBLISH, third.type());
            assertNull(modem.read(QUIET), "a fourth PUBLISH while two are unacknowledged");
            modem.puback(RawMqtt5.publish(second).packetId());
            assertEquals("p4", new String(RawMqtt5.publish(modem.await(PUBLISH, WAIT)).payload(),
                    StandardCharsets.UTF_8));
        }
    }

    @Test
    void messageLargerThanTheDevicesMaximumPacketSizeIsNotSentAndItsOwnerLearnsWhy() throws Exception {
        // given a sensor with a 512-byte buffer, subscribed to its commands
        String tenant = device("tiny");
        try (RawMqtt5 tiny = new RawMqtt5(gateway.port(), tenant, "tiny", "tiny",
                new Props().fourBytes(RawMqtt5.MAXIMUM_PACKET_SIZE, 512))) {
            tiny.subscribe(1, new Props(), "devices/tiny/commands/#");
            tiny.await(SUBACK, WAIT);
            String topic = "commands/request/c-1/set";

            // when a small command, then one of exactly 512 bytes on the wire, then one of 513, then a 1,002-byte one
            send(tenant, "tiny", topic, "x");
            Packet small = tiny.await(PUBLISH, WAIT);
            tiny.puback(RawMqtt5.publish(small).packetId());
            int room = 512 - small.wireSize();
            String atLimit = send(tenant, "tiny", topic, "x".repeat(1 + room));
            String overLimit = send(tenant, "tiny", topic, "x".repeat(2 + room));
            String large = send(tenant, "tiny", topic, "x".repeat(1002));
            String after = send(tenant, "tiny", topic, "after");

            // then the one of 512 bytes and the one after the large ones arrive, the others never
            Packet fits = tiny.await(PUBLISH, WAIT);
            assertEquals(512, fits.wireSize());
            tiny.puback(RawMqtt5.publish(fits).packetId());
            Packet next = tiny.await(PUBLISH, WAIT);
            assertEquals("after", new String(RawMqtt5.publish(next).payload(), StandardCharsets.UTF_8));
            // and their owner learns that they never will, and why
            assertEquals(DeliveryStatus.DELIVERED, Receipts.of(json, tenant, atLimit).status());
            for (String refused : List.of(overLimit, large)) {
                DeliveryReceipt receipt = Receipts.of(json, tenant, refused);
                assertEquals(DeliveryStatus.UNDELIVERABLE, receipt.status());
                assertTrue(receipt.reason().contains("larger than the device accepts"), receipt.reason());
            }
            tiny.puback(RawMqtt5.publish(next).packetId());
            assertEquals(DeliveryStatus.DELIVERED, Receipts.of(json, tenant, after).status());
        }
    }

    @Test
    void packetOfTheAnnouncedMaximumSizeIsAcceptedAndOneByteMoreEndsTheConnectionWith0x95() throws Exception {
        String tenant = device("camera");
        String topic = "devices/camera/telemetry/frame";
        try (RawMqtt5 camera = new RawMqtt5(gateway.port(), tenant, "camera")) {
            int maximum = (Integer) camera.connackProperties().get(RawMqtt5.MAXIMUM_PACKET_SIZE).get(0);
            int payload = maximum - RawMqtt5.publishSize(topic, 1, new Props(), 0);
            while (RawMqtt5.publishSize(topic, 1, new Props(), payload) > maximum) {
                payload--; // the remaining length's own bytes grow with the payload
            }
            assertEquals(maximum, RawMqtt5.publishSize(topic, 1, new Props(), payload));

            camera.publish(topic, 1, false, 1, new Props(), new byte[payload]);
            Packet accepted = camera.await(PUBACK, WAIT);
            assertEquals(0, RawMqtt5.reasonCode(accepted));

            // One byte more: its fixed header already tells (the whole body would meet a connection closed at once)
            camera.publishStart(topic, RawMqtt5.publishSize(topic, 1, new Props(), payload + 1));
            Packet refused = camera.await(DISCONNECT, WAIT);
            assertEquals(DISCONNECT, refused.type(), "a DISCONNECT, not just a closed connection");
            assertEquals(0x95, RawMqtt5.reasonCode(refused));
        }
        assertEquals(1, TopicReader.read(Topics.TELEMETRY, tenant + "/", 2, QUIET).size());
    }

    @Test
    void retainedPublishEndsAnMqtt5ConnectionWith0x9AAndAnMqtt311OneIsForwardedUnretained() throws Exception {
        String tenant = device("lamp");
        try (RawMqtt5 lamp = new RawMqtt5(gateway.port(), tenant, "lamp")) {
            lamp.publish("devices/lamp/telemetry/state", 1, true, 1, new Props(), bytes("on"));
            Packet refused = lamp.await(DISCONNECT, WAIT);
            assertEquals(DISCONNECT, refused.type());
            assertEquals(0x9A, RawMqtt5.reasonCode(refused));
        }
        Mqtt3BlockingClient old = Clients.connectedV3(gateway.port(), tenant, "lamp");
        old.publishWith().topic("devices/lamp/telemetry/state").qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload(bytes("v3")).send();
        old.disconnect();
        List<ConsumerRecord<String, byte[]>> stored = TopicReader.read(Topics.TELEMETRY, tenant + "/", 2, QUIET);
        assertEquals(List.of("v3"), stored.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList());
    }

    @Test
    void topicAliasSetOnceStandsForItsTopicAfterwards() throws Exception {
        String tenant = device("meter");
        try (RawMqtt5 meter = new RawMqtt5(gateway.port(), tenant, "meter")) {
            meter.publish("devices/meter/telemetry/power", 1, false, 1, new Props().twoBytes(RawMqtt5.TOPIC_ALIAS, 3),
                    bytes("1"));
            assertEquals(0, RawMqtt5.reasonCode(meter.await(PUBACK, WAIT)));
            meter.publish("", 1, false, 2, new Props().twoBytes(RawMqtt5.TOPIC_ALIAS, 3), bytes("2"));
            assertEquals(0, RawMqtt5.reasonCode(meter.await(PUBACK, WAIT)));
        }
        List<ConsumerRecord<String, byte[]>> stored = TopicReader.read(Topics.TELEMETRY, tenant + "/", 2, WAIT);
        assertEquals(List.of("telemetry/power", "telemetry/power"), stored.stream()
                .map(r -> new String(r.headers().lastHeader(CloudEventHeaders.MQTT_TOPIC).value(),
                        StandardCharsets.UTF_8)).toList());
    }

    @Test
    void topicAliasZeroOrAboveTheMaximumEndsTheConnectionWith0x94AndAnUnknownOneWith0x82() throws Exception {
        String tenant = device("meter");
        assertEquals(0x94, disconnectAfterPublish(tenant, "devices/meter/telemetry", 0));
        assertEquals(0x94, disconnectAfterPublish(tenant, "devices/meter/telemetry", 17));
        assertEquals(0x82, disconnectAfterPublish(tenant, "", 5));
        assertEquals(0, TopicReader.read(Topics.TELEMETRY, tenant + "/", 1, QUIET).size());
    }

    @Test
    void publishCarriesTheIdentifiersOfEveryMatchingSubscription() throws Exception {
        String tenant = device("valve");
        try (RawMqtt5 valve = new RawMqtt5(gateway.port(), tenant, "valve")) {
            valve.subscribe(1, new Props().varInt(RawMqtt5.SUBSCRIPTION_ID, 7), "devices/valve/commands/#");
            valve.await(SUBACK, WAIT);
            valve.subscribe(2, new Props().varInt(RawMqtt5.SUBSCRIPTION_ID, 300),
                    "devices/valve/commands/request/+/+");
            valve.await(SUBACK, WAIT);
            valve.subscribe(3, new Props(), "devices/valve/notifications/#");
            valve.await(SUBACK, WAIT);

            send(tenant, "valve", "commands/request/c-1/open", "open");
            RawMqtt5.Publish command = RawMqtt5.publish(valve.await(PUBLISH, WAIT));
            valve.puback(command.packetId());
            send(tenant, "valve", "notifications/advisory", "note");
            RawMqtt5.Publish notification = RawMqtt5.publish(valve.await(PUBLISH, WAIT));

            assertEquals(Set.of(7, 300), new HashSet<>(command.properties().get(RawMqtt5.SUBSCRIPTION_ID)));
            assertNull(notification.properties().get(RawMqtt5.SUBSCRIPTION_ID));
        }
    }

    @Test
    void unsubackAnswersEveryFilterAndASharedSubscriptionGets0x9E() throws Exception {
        String tenant = device("gate");
        try (RawMqtt5 gate = new RawMqtt5(gateway.port(), tenant, "gate")) {
            gate.subscribe(1, new Props(), "devices/gate/commands/#", "$share/all/devices/gate/notifications/#");
            assertEquals(List.of(1, 0x9E), RawMqtt5.reasonCodes(gate.await(SUBACK, WAIT)));

            gate.unsubscribe(2, "devices/gate/commands/#", "devices/gate/notifications/#");
            assertEquals(List.of(0x00, 0x11), RawMqtt5.reasonCodes(gate.await(UNSUBACK, WAIT)));
        }
    }

    private int connackReason(String tenant, Props connectProperties) throws Exception {
        try (RawMqtt5 client = new RawMqtt5(gateway.port(), tenant, "sensor", "sensor", connectProperties)) {
            return client.connackReason();
        }
    }

    private int disconnectAfterPublish(String tenant, String topic, int alias) throws Exception {
        try (RawMqtt5 client = new RawMqtt5(gateway.port(), tenant, "meter")) {
            client.publish(topic, 1, false, 1, new Props().twoBytes(RawMqtt5.TOPIC_ALIAS, alias), bytes("x"));
            Packet answer = client.await(DISCONNECT, WAIT);
            assertEquals(DISCONNECT, answer.type(), "alias " + alias);
            return RawMqtt5.reasonCode(answer);
        }
    }

    private String device(String device) throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, device);
        return tenant;
    }

    private static String send(String tenant, String device, String topic, String payload) {
        try (TestOwner owner = new TestOwner()) {
            return owner.send(tenant, device, topic, payload, Instant.now().plus(Duration.ofMinutes(10)));
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
