package io.outpost.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;

import io.outpost.bridge.mqtt.MqttGateway;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.contracts.Topics;
import io.outpost.testsupport.TopicReader;
import io.outpost.testsupport.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The attack list: every way a device may try to step outside its own identity and topics, each refused. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class BridgeSecurityTest {
    @Inject
    MqttGateway gateway;
    @Inject
    DeviceDirectory directory;

    @Test
    void deviceWithTheRightSecretConnectsWithMqtt5And311() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "d1");

        Clients.connectedV5(gateway.port(), tenant, "d1").disconnect();
        Clients.connectedV3(gateway.port(), tenant, "d1").disconnect();
    }

    @Test
    void wrongSecretIsRefusedWithBadUsernameOrPassword() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "d1");

        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, connectV5(tenant, "d1", "wrong-secret"));
        assertEquals(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD, connectV3(tenant, "d1", "wrong-secret"));
    }

    @Test
    void unknownDeviceIsRefusedLikeAWrongSecret() throws Exception {
        String tenant = TestDevices.newTenant();
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, connectV5(tenant, "nobody", TestDevices.SECRET));
    }

    @Test
    void deviceOfAnotherTenantCannotConnectUnderThisOne() throws Exception {
        String tenant = TestDevices.newTenant();
        String other = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "d1");

        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, connectV5(other, "d1", TestDevices.SECRET));
    }

    @ParameterizedTest
    @ValueSource(strings = { "no-at-sign", "@tenant", "device@", "dev ice@tenant", "device@Tenant_Upper" })
    void malformedUsernameIsRefused(String username) {
        Mqtt5BlockingClient client = Clients.v5(gateway.port());
        Mqtt5ConnAckException refused = assertThrows(Mqtt5ConnAckException.class, () -> client.connectWith()
                .simpleAuth().username(username).password(bytes(TestDevices.SECRET)).applySimpleAuth().send());
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, refused.getMqttMessage().getReasonCode());
    }

    @Test
    void disabledDeviceIsRefusedAsNotAuthorized() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.put(directory, tenant, "d1", false);

        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, connectV5(tenant, "d1", TestDevices.SECRET));
        assertEquals(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED, connectV3(tenant, "d1", TestDevices.SECRET));
    }

    @Test
    void repeatedFailuresAreThrottledEvenWithTheRightSecretAfterwards() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "d1");
        for (int i = 0; i < 5; i++) {
            connectV5(tenant, "d1", "guess-" + i);
        }
        assertEquals(Mqtt5ConnAckReasonCode.CONNECTION_RATE_EXCEEDED, connectV5(tenant, "d1", TestDevices.SECRET));
    }

    @Test
    void deviceDisabledWhileConnectedIsDisconnected() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "d1");
        CompletableFuture<Mqtt5DisconnectReasonCode> disconnected = new CompletableFuture<>();
        Mqtt5BlockingClient client = Clients.connectedV5(gateway.port(), tenant, "d1", disconnected);

        TestDevices.put(directory, tenant, "d1", false);

        assertEquals(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED, disconnected.get(5, TimeUnit.SECONDS));
    }

    @Test
    void deviceDeletedWhileConnectedIsDisconnected() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "d1");
        CompletableFuture<Mqtt5DisconnectReasonCode> disconnected = new CompletableFuture<>();
        Mqtt5BlockingClient client = Clients.connectedV5(gateway.port(), tenant, "d1", disconnected);

        TestDevices.delete(directory, tenant, "d1");

        assertEquals(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED, disconnected.get(5, TimeUnit.SECONDS));
    }

    @Test
    void secondConnectionOfTheSameDeviceTakesOverTheFirst() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "d1");
        CompletableFuture<Mqtt5DisconnectReasonCode> disconnected = new CompletableFuture<>();
        Mqtt5BlockingClient first = Clients.connectedV5(gateway.port(), tenant, "d1", disconnected);

        Mqtt5BlockingClient second = Clients.connectedV5(gateway.port(), tenant, "d1");

        assertEquals(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER, disconnected.get(5, TimeUnit.SECONDS));
        assertTrue(second.getState().isConnected());
        second.disconnect();
    }

    @ParameterizedTest
    @ValueSource(strings = { "#", "+/#", "devices/#", "devices/+/commands/request/#", "devices/other/#",
            "devices/d10/#", "$SYS/#", "devices/d1", "+/d1/#" })
    void subscriptionsOutsideTheOwnPrefixAreRefusedNotAuthorized(String filter) throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "d1");
        Mqtt5BlockingClient client = Clients.connectedV5(gateway.port(), tenant, "d1");

        Mqtt5SubAckException refused = assertThrows(Mqtt5SubAckException.class,
                () -> client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send());

        assertEquals(List.of(Mqtt5SubAckReasonCode.NOT_AUTHORIZED), refused.getMqttMessage().getReasonCodes());
        client.disconnect();
    }

    @Test
    void subscriptionInsideTheOwnPrefixIsGrantedAndMqtt311GetsFailureForOthers() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "d1");
        Mqtt3BlockingClient client = Clients.connectedV3(gateway.port(), tenant, "d1");

        client.subscribeWith().topicFilter("devices/d1/#").qos(MqttQos.AT_LEAST_ONCE).send();
        assertThrows(Mqtt3SubAckException.class,
                () -> client.subscribeWith().topicFilter("devices/d2/#").qos(MqttQos.AT_LEAST_ONCE).send());
        client.disconnect();
    }

    @ParameterizedTest
    @ValueSource(strings = { "devices/other/telemetry", "devices/d1/commands/request/c1/unlock",
            "devices/d1/notifications/x", "devices/d1/unknown", "telemetry" })
    void publishOutsideTheOwnUpstreamTopicsIsRefusedWithPubAck0x87AndNeverReachesKafka(String topic) throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "d1");
        Mqtt5BlockingClient client = Clients.connectedV5(gateway.port(), tenant, "d1");

        Mqtt5PubAckException refused = assertThrows(Mqtt5PubAckException.class,
                () -> client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("x")).send());

        assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, refused.getMqttMessage().getReasonCode());
        client.publishWith().topic("devices/d1/telemetry").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("ok")).send();
        client.disconnect();
        assertOnlyTelemetry(tenant, "ok");
    }

    @Test
    void mqtt311PublishToAnotherDevicesTopicEndsTheConnection() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "d1");
        try (RawMqtt raw = new RawMqtt(gateway.port(), "d1@" + tenant, TestDevices.SECRET)) {
            raw.publishQos1(bytes("devices/d2/telemetry"), bytes("x"));
            assertTrue(raw.closedByServer());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "devices/d1/telemetry/+", "devices/d1/#", "devices/+/telemetry" })
    void wildcardInAPublishTopicEndsTheConnection(String topic) throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "d1");
        try (RawMqtt raw = new RawMqtt(gateway.port(), "d1@" + tenant, TestDevices.SECRET)) {
            raw.publishQos1(bytes(topic), bytes("x"));
            assertTrue(raw.closedByServer());
        }
        assertOnlyTelemetry(tenant);
    }

    @Test
    void invalidUtf8TopicEndsTheConnection() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "d1");
        byte[] topic = bytes("devices/d1/telemetry/xx");
        topic[topic.length - 2] = (byte) 0xC3;
        topic[topic.length - 1] = (byte) 0x28;
        try (RawMqtt raw = new RawMqtt(gateway.port(), "d1@" + tenant, TestDevices.SECRET)) {
            raw.publishQos1(topic, bytes("x"));
            assertTrue(raw.closedByServer());
        }
        assertOnlyTelemetry(tenant);
    }

    @Test
    void overlongTopicIsRefusedAsInvalid() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "d1");
        Mqtt5BlockingClient client = Clients.connectedV5(gateway.port(), tenant, "d1");

        Mqtt5PubAckException refused = assertThrows(Mqtt5PubAckException.class, () -> client.publishWith()
                .topic("devices/d1/telemetry/" + "x".repeat(300)).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("x")).send());

        assertEquals(Mqtt5PubAckReasonCode.TOPIC_NAME_INVALID, refused.getMqttMessage().getReasonCode());
        client.disconnect();
    }

    @Test
    void messagesOfOneDeviceNeverReachAnother() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "victim");
        TestDevices.register(directory, tenant, "attacker");
        Mqtt5BlockingClient victim = Clients.connectedV5(gateway.port(), tenant, "victim");
        victim.subscribeWith().topicFilter("devices/victim/#").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient attacker = Clients.connectedV5(gateway.port(), tenant, "attacker");
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = victim.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThrows(Mqtt5PubAckException.class, () -> attacker.publishWith()
                    .topic("devices/victim/commands/request/c1/unlock").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("x")).send());
            assertThrows(Mqtt5SubAckException.class, () -> attacker.subscribeWith().topicFilter("devices/victim/#").send());
            victim.publishWith().topic("devices/victim/telemetry").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("v")).send();

            assertEquals(Optional.empty(), inbox.receive(1, TimeUnit.SECONDS));
        }
        victim.disconnect();
        attacker.disconnect();
    }

    private Object connectV5(String tenant, String device, String secret) {
        Mqtt5BlockingClient client = Clients.v5(gateway.port());
        try {
            client.connectWith().simpleAuth().username(device + "@" + tenant).password(bytes(secret)).applySimpleAuth().send();
            client.disconnect();
            return Mqtt5ConnAckReasonCode.SUCCESS;
        } catch (Mqtt5ConnAckException e) {
            return e.getMqttMessage().getReasonCode();
        }
    }

    private Object connectV3(String tenant, String device, String secret) {
        Mqtt3BlockingClient client = Clients.v3(gateway.port());
        try {
            client.connectWith().simpleAuth().username(device + "@" + tenant).password(bytes(secret)).applySimpleAuth().send();
            client.disconnect();
            return Mqtt3ConnAckReturnCode.SUCCESS;
        } catch (Mqtt3ConnAckException e) {
            return e.getMqttMessage().getReturnCode();
        }
    }

    /** Nothing of this tenant is on the telemetry topic but the given payloads. */
    private static void assertOnlyTelemetry(String tenant, String... payloads) {
        var records = TopicReader.read(Topics.TELEMETRY, tenant + "/", payloads.length + 1, Duration.ofSeconds(2));
        assertEquals(List.of(payloads), records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
