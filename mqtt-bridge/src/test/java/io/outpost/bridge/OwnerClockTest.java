package io.outpost.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;

import io.outpost.bridge.mqtt.MqttGateway;
import io.outpost.contracts.DeliveryStatus;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The owner's clock decides expiry, not the bridge's: the time a message has left is what the owner gave it when its
 * relay sent the record (expires-at minus the record's CreateTime, both by the owner's clock), counted on the bridge
 * from when it read the record.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class OwnerClockTest {
    @Inject
    MqttGateway gateway;
    @Inject
    DeviceDirectory directory;
    @Inject
    ObjectMapper json;

    @Test
    void messageOfAnOwnerWhoseClockRunsAnHourBehindIsDeliveredWithTheTimeTheOwnerGaveIt() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "van");
        Mqtt5BlockingClient device = Clients.connectedV5(gateway.port(), tenant, "van");
        device.subscribeWith().topicFilter("devices/van/commands/#").qos(MqttQos.AT_LEAST_ONCE).send();
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = device.publishes(MqttGlobalPublishFilter.ALL);
                SkewedOwner owner = new SkewedOwner(Duration.ofHours(-1))) {
            // By the bridge's clock this expired an hour ago; by the owner's it has 30 s left.
            String id = owner.send(tenant, "van", "commands/request/c-1/unlock", "open", Duration.ofSeconds(30));

            Mqtt5Publish received = inbox.receive(10, TimeUnit.SECONDS).orElseThrow();

            assertEquals(id, StandardCharsets.UTF_8.decode(received.getCorrelationData().orElseThrow()).toString());
            long expiry = received.getMessageExpiryInterval().orElseThrow();
            assertTrue(expiry > 20 && expiry <= 30, "expiry " + expiry);
            assertEquals(DeliveryStatus.DELIVERED, Receipts.of(json, tenant, id).status());
        }
        device.disconnect();
    }

    /** Half an hour ahead, not a full hour: Kafka 4 refuses CreateTimes more than an hour in the broker's future. */
    @ParameterizedTest
    @ValueSource(strings = { "-PT1H", "PT30M" })
    void messageWithOneSecondLeftByTheOwnersClockIsNeverDeliveredAfterThatSecond(String ownerClockOffset)
            throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "van");
        Mqtt5BlockingClient device = Clients.connectedV5(gateway.port(), tenant, "van");
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = device.publishes(MqttGlobalPublishFilter.ALL);
                SkewedOwner owner = new SkewedOwner(Duration.parse(ownerClockOffset))) {
            String stale = owner.send(tenant, "van", "commands/request/c-0/unlock", "stale", Duration.ofSeconds(1));
            // The second counts from when the bridge read the record, a few milliseconds after Kafka acknowledged it.
            long passed = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            TestDevices.await(() -> System.nanoTime() - passed > 0);

            device.subscribeWith().topicFilter("devices/van/#").qos(MqttQos.AT_LEAST_ONCE).send();
            owner.send(tenant, "van", "commands/request/c-1/horn", "fresh", Duration.ofMinutes(1));

            Mqtt5Publish received = inbox.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertEquals("fresh", new String(received.getPayloadAsBytes(), StandardCharsets.UTF_8));
            assertEquals(Optional.empty(), inbox.receive(1, TimeUnit.SECONDS));
            assertEquals(DeliveryStatus.EXPIRED, Receipts.of(json, tenant, stale).status());
        }
        device.disconnect();
    }
}
