package io.outpost.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;

import io.outpost.bridge.mqtt.MqttGateway;
import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.Topics;
import io.outpost.testsupport.TopicReader;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Will messages: published as the device when its connection ends abnormally, refused with the spec's codes. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class WillTest {
    private static final byte[] OFFLINE = "offline".getBytes(StandardCharsets.UTF_8);

    @Inject
    MqttGateway gateway;
    @Inject
    DeviceDirectory directory;

    @Test
    void willOfAConnectionThatDropsIsPublishedAsTheDevice() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "lamp");

        new RawMqtt(gateway.port(), "lamp@" + tenant, TestDevices.SECRET, "devices/lamp/telemetry/status", OFFLINE)
                .close();

        ConsumerRecord<String, byte[]> will = TopicReader.read(Topics.TELEMETRY, tenant + "/", 1,
                Duration.ofSeconds(10)).get(0);
        assertEquals(tenant + "/lamp", will.key());
        assertEquals("offline", new String(will.value(), StandardCharsets.UTF_8));
        assertEquals("telemetry/status", header(will, CloudEventHeaders.MQTT_TOPIC));
        assertEquals("true", header(will, CloudEventHeaders.MQTT_WILL));
    }

    @Test
    void normalDisconnectDiscardsTheWill() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "lamp");
        Mqtt5BlockingClient client = Clients.v5(gateway.port());
        withWill(client, tenant, will -> will).send();

        client.disconnect();
        publishMarker(tenant);

        // A published will would precede the marker: same key, same partition.
        assertEquals(List.of("marker"), texts(TopicReader.read(Topics.TELEMETRY, tenant + "/", 1,
                Duration.ofSeconds(10))));
    }

    @Test
    void disconnectWithWillMessagePublishesTheWill() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "lamp");
        Mqtt5BlockingClient client = Clients.v5(gateway.port());
        withWill(client, tenant, will -> will).send();

        client.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();

        assertEquals(List.of("offline"), texts(TopicReader.read(Topics.TELEMETRY, tenant + "/", 1,
                Duration.ofSeconds(10))));
    }

    @Test
    void takeoverPublishesTheWillOfTheOldConnection() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "lamp");
        withWill(Clients.v5(gateway.port()), tenant, will -> will).send();

        Clients.connectedV5(gateway.port(), tenant, "lamp").disconnect();

        assertEquals(List.of("offline"), texts(TopicReader.read(Topics.TELEMETRY, tenant + "/", 1,
                Duration.ofSeconds(10))));
    }

    @Test
    void willForAnotherDevicesTopicIsRefused() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "lamp");

        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusedV5(tenant, "devices/other/telemetry"));
        Mqtt3BlockingClient v3 = Clients.v3(gateway.port());
        Mqtt3ConnAckException refused = assertThrows(Mqtt3ConnAckException.class, () -> v3.connectWith()
                .simpleAuth().username("lamp@" + tenant).password(TestDevices.SECRET.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().willPublish().topic("devices/other/telemetry").payload(OFFLINE).applyWillPublish()
                .send());
        assertEquals(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED, refused.getMqttMessage().getReturnCode());
    }

    @Test
    void willToAPlatformTopicIsRefused() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "lamp");

        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusedV5(tenant, "devices/lamp/commands/request/c1/x"));
    }

    @Test
    void willWithQos2OrRetainIsRefusedAsTheServerAnnouncedNeither() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "lamp");

        assertEquals(Mqtt5ConnAckReasonCode.QOS_NOT_SUPPORTED, refused(tenant, will -> will.qos(MqttQos.EXACTLY_ONCE)));
        assertEquals(Mqtt5ConnAckReasonCode.RETAIN_NOT_SUPPORTED, refused(tenant, will -> will.retain(true)));
    }

    private Mqtt5ConnAckReasonCode refusedV5(String tenant, String topic) {
        return refused(tenant, will -> will.topic(topic));
    }

    private Mqtt5ConnAckReasonCode refused(String tenant, UnaryOperator<WillBuilder> change) {
        Mqtt5BlockingClient client = Clients.v5(gateway.port());
        return assertThrows(Mqtt5ConnAckException.class, () -> withWill(client, tenant, change).send())
                .getMqttMessage().getReasonCode();
    }

    private void publishMarker(String tenant) {
        Mqtt5BlockingClient client = Clients.connectedV5(gateway.port(), tenant, "lamp");
        client.publishWith().topic("devices/lamp/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                .payload("marker".getBytes(StandardCharsets.UTF_8)).send();
        client.disconnect();
    }

    private static Mqtt5ConnectBuilder.Send<?> withWill(Mqtt5BlockingClient client, String tenant,
            UnaryOperator<WillBuilder> change) {
        WillBuilder will = change.apply(new WillBuilder("devices/lamp/telemetry/status", MqttQos.AT_LEAST_ONCE, false));
        return client.connectWith().simpleAuth().username("lamp@" + tenant)
                .password(TestDevices.SECRET.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .willPublish().topic(will.topic).payload(OFFLINE).qos(will.qos).retain(will.retain).applyWillPublish();
    }

    /** The parts of a will the tests vary. */
    private record WillBuilder(String topic, MqttQos qos, boolean retain) {
        WillBuilder topic(String value) {
            return new WillBuilder(value, qos, retain);
        }

        WillBuilder qos(MqttQos value) {
            return new WillBuilder(topic, value, retain);
        }

        WillBuilder retain(boolean value) {
            return new WillBuilder(topic, qos, value);
        }
    }

    private static List<String> texts(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(record -> new String(record.value(), StandardCharsets.UTF_8)).toList();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
