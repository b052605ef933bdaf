package io.outpost.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;

import io.outpost.bridge.mqtt.MqttGateway;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * At most once per session: an owner's re-publish that races its first send (or a second owner instance) must not
 * reach the device twice in one session; a new session starts with an empty memory.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class RepeatedMessageTest {
    private static final Duration TTL = Duration.ofMinutes(5);

    @Inject
    MqttGateway gateway;
    @Inject
    DeviceDirectory directory;

    @Test
    void messageIdAlreadyDeliveredInThisSessionIsNotSentAgain() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "van");
        Mqtt5BlockingClient device = subscribed(tenant);
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = device.publishes(MqttGlobalPublishFilter.ALL);
                SkewedOwner owner = new SkewedOwner()) {
            String id = UUID.randomUUID().toString();
            owner.send(id, tenant, "van", "commands/request/c-1/unlock", "first", TTL);
            assertEquals("first", payload(inbox.receive(10, TimeUnit.SECONDS)));

            owner.send(id, tenant, "van", "commands/request/c-1/unlock", "first", TTL);
            owner.send(tenant, "van", "commands/request/c-2/horn", "next", TTL);

            // One device's records keep their order, so a repeat would arrive before "next".
            assertEquals("next", payload(inbox.receive(10, TimeUnit.SECONDS)));
            assertEquals(Optional.empty(), inbox.receive(1, TimeUnit.SECONDS));
        }
        device.disconnect();
    }

    @Test
    void repeatOfAMessageThatStillWaitsForTheSubscriptionIsDropped() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "van");
        Mqtt5BlockingClient device = Clients.connectedV5(gateway.port(), tenant, "van");
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = device.publishes(MqttGlobalPublishFilter.ALL);
                SkewedOwner owner = new SkewedOwner()) {
            String id = UUID.randomUUID().toString();
            owner.send(id, tenant, "van", "notifications/air", "alert", TTL);
            owner.send(id, tenant, "van", "notifications/air", "alert", TTL);
            owner.send(tenant, "van", "notifications/air", "all-clear", TTL);

            device.subscribeWith().topicFilter("devices/van/notifications/#").qos(MqttQos.AT_LEAST_ONCE).send();

            assertEquals("alert", payload(inbox.receive(10, TimeUnit.SECONDS)));
            assertEquals("all-clear", payload(inbox.receive(10, TimeUnit.SECONDS)));
            assertEquals(Optional.empty(), inbox.receive(1, TimeUnit.SECONDS));
        }
        device.disconnect();
    }

    @Test
    void newSessionReceivesAMessageTheLastSessionHadAlready() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "van");
        String id = UUID.randomUUID().toString();
        try (SkewedOwner owner = new SkewedOwner()) {
            Mqtt5BlockingClient first = subscribed(tenant);
            try (Mqtt5BlockingClient.Mqtt5Publishes inbox = first.publishes(MqttGlobalPublishFilter.ALL)) {
                owner.send(id, tenant, "van", "commands/request/c-1/unlock", "open", TTL);
                assertEquals("open", payload(inbox.receive(10, TimeUnit.SECONDS)));
            }
            first.disconnect();

            Mqtt5BlockingClient second = subscribed(tenant);
            try (Mqtt5BlockingClient.Mqtt5Publishes inbox = second.publishes(MqttGlobalPublishFilter.ALL)) {
                owner.send(id, tenant, "van", "commands/request/c-1/unlock", "open", TTL);
                assertEquals("open", payload(inbox.receive(10, TimeUnit.SECONDS)));
            }
            second.disconnect();
        }
    }

    private Mqtt5BlockingClient subscribed(String tenant) {
        Mqtt5BlockingClient device = Clients.connectedV5(gateway.port(), tenant, "van");
        device.subscribeWith().topicFilter("devices/van/#").qos(MqttQos.AT_LEAST_ONCE).send();
        return device;
    }

    private static String payload(Optional<Mqtt5Publish> publish) {
        return new String(publish.orElseThrow().getPayloadAsBytes(), StandardCharsets.UTF_8);
    }
}
