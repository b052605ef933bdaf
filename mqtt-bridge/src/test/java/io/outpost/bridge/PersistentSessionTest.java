package io.outpost.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient.Mqtt3Publishes;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;

import io.outpost.bridge.mqtt.MqttGateway;
import io.outpost.contracts.DeviceSessionEvent;
import io.outpost.contracts.SessionEventType;
import io.outpost.contracts.Topics;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.TestOwner;
import io.outpost.testsupport.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * MQTT 3.1.1 persistent sessions (CleanSession 0): the subscriptions outlive the connection, so a device that does
 * not subscribe again after a reconnect still gets its messages; CleanSession 1 discards them.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class PersistentSessionTest {
    @Inject
    MqttGateway gateway;
    @Inject
    DeviceDirectory directory;
    @Inject
    ObjectMapper json;

    @Test
    void persistentSessionGetsItsSubscriptionsBackAndACleanOneDiscardsThem() throws Exception {
        // given an MQTT 3.1.1 device with a persistent session, subscribed to its commands
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "pump");
        Mqtt3BlockingClient first = client();
        assertFalse(first.connectWith().cleanSession(false).simpleAuth().username("pump@" + tenant)
                .password(bytes(TestDevices.SECRET)).applySimpleAuth().send().isSessionPresent());
        first.subscribeWith().topicFilter("devices/pump/commands/#").qos(MqttQos.AT_LEAST_ONCE).send();
        first.disconnect();

        // when it reconnects with CleanSession 0 and does not subscribe
        Mqtt3BlockingClient second = client();
        try (Mqtt3Publishes inbox = second.publishes(MqttGlobalPublishFilter.ALL)) {
            assertTrue(connect(second, tenant, false), "session present");
            send(tenant, "pump", "commands/request/c-1/start", "go");

            // then its command arrives all the same, and the owners were told it subscribed (they re-send what waits)
            Mqtt3Publish received = inbox.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertEquals("devices/pump/commands/request/c-1/start", received.getTopic().toString());
            second.disconnect();
        }
        assertEquals(2, subscribedEvents(tenant, 2), "the first subscribe and the restored session");

        // and a clean connect discards the session: nothing arrives without a subscription, and it stays discarded
        Mqtt3BlockingClient clean = client();
        try (Mqtt3Publishes inbox = clean.publishes(MqttGlobalPublishFilter.ALL)) {
            assertFalse(connect(clean, tenant, true));
            send(tenant, "pump", "commands/request/c-2/stop", "stop");
            assertTrue(inbox.receive(2, TimeUnit.SECONDS).isEmpty(), "no subscription, no command");
            clean.disconnect();
        }
        TestDevices.await(() -> !connectAndDisconnect(tenant));
    }

    @Test
    void unsubscribingInAPersistentSessionIsRemembered() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "fan");
        Mqtt3BlockingClient first = client();
        connect(first, tenant, "fan", false);
        first.subscribeWith().topicFilter("devices/fan/commands/#").qos(MqttQos.AT_LEAST_ONCE).send();
        first.subscribeWith().topicFilter("devices/fan/notifications/#").qos(MqttQos.AT_LEAST_ONCE).send();
        first.unsubscribeWith().topicFilter("devices/fan/commands/#").send();
        first.disconnect();

        Mqtt3BlockingClient second = client();
        try (Mqtt3Publishes inbox = second.publishes(MqttGlobalPublishFilter.ALL)) {
            assertTrue(connect(second, tenant, "fan", false));
            send(tenant, "fan", "commands/request/c-1/spin", "spin");
            send(tenant, "fan", "notifications/heat", "hot");
            Mqtt3Publish received = inbox.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertEquals("devices/fan/notifications/heat", received.getTopic().toString());
            assertTrue(inbox.receive(1, TimeUnit.SECONDS).isEmpty(), "the command filter was unsubscribed");
            second.disconnect();
        }
    }

    /** Whether a persistent connect finds a session present; disconnects right after. */
    private boolean connectAndDisconnect(String tenant) {
        Mqtt3BlockingClient client = client();
        boolean present = connect(client, tenant, false);
        client.disconnect();
        return present;
    }

    private int subscribedEvents(String tenant, int expected) {
        return (int) TopicReader.readUntil(Topics.DEVICE_SESSIONS, tenant + "/", records -> records.stream()
                .filter(record -> type(record.value()) == SessionEventType.SUBSCRIBED).count() >= expected,
                Duration.ofSeconds(10)).stream().filter(record -> type(record.value()) == SessionEventType.SUBSCRIBED)
                .count();
    }

    private SessionEventType type(byte[] value) {
        try {
            return json.readValue(value, DeviceSessionEvent.class).type();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Mqtt3BlockingClient client() {
        return Mqtt3Client.builder().identifier(UUID.randomUUID().toString()).serverHost("127.0.0.1")
                .serverPort(io.quarkus.arc.Arc.container().instance(MqttGateway.class).get().port()).buildBlocking();
    }

    private static boolean connect(Mqtt3BlockingClient client, String tenant, boolean cleanSession) {
        return connect(client, tenant, "pump", cleanSession);
    }

    private static boolean connect(Mqtt3BlockingClient client, String tenant, String device, boolean cleanSession) {
        return client.connectWith().cleanSession(cleanSession).simpleAuth().username(device + "@" + tenant)
                .password(bytes(TestDevices.SECRET)).applySimpleAuth().send().isSessionPresent();
    }

    private static void send(String tenant, String device, String topic, String payload) {
        try (TestOwner owner = new TestOwner()) {
            owner.send(tenant, device, topic, payload, Instant.now().plus(Duration.ofMinutes(10)));
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
