package io.outpost.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.bridge.mqtt.MqttGateway;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.DeliveryReceipt;
import io.outpost.contracts.DeliveryStatus;
import io.outpost.contracts.InquiryAnswerType;
import io.outpost.contracts.InquiryTopics;
import io.outpost.contracts.Topics;
import io.outpost.testsupport.TestOwner;
import io.outpost.testsupport.TopicReader;
import io.outpost.testsupport.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The mailbox's last mile, with the test standing in for an owner service that publishes outbound messages. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class DeliveryTest {
    @Inject
    MqttGateway gateway;
    @Inject
    DeviceDirectory directory;
    @Inject
    ObjectMapper json;
    @Inject
    MeterRegistry metrics;

    @Test
    void subscribedDeviceReceivesTheMessageWithExpiryAndItsIdAndTheOwnerGetsDelivered() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "van");
        Mqtt5BlockingClient device = Clients.connectedV5(gateway.port(), tenant, "van");
        device.subscribeWith().topicFilter("devices/van/commands/request/#").qos(MqttQos.AT_LEAST_ONCE).send();
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = device.publishes(MqttGlobalPublishFilter.ALL)) {
            String id = send(tenant, "van", "commands/request/c-1/unlock", "{\"doors\":\"all\"}", Duration.ofMinutes(10));

            Mqtt5Publish received = inbox.receive(10, TimeUnit.SECONDS).orElseThrow();

            assertEquals("devices/van/commands/request/c-1/unlock", received.getTopic().toString());
            assertEquals("{\"doors\":\"all\"}", new String(received.getPayloadAsBytes(), StandardCharsets.UTF_8));
            assertEquals(MqttQos.AT_LEAST_ONCE, received.getQos());
            long expiry = received.getMessageExpiryInterval().orElseThrow();
            assertTrue(expiry > 590 && expiry <= 600, "expiry " + expiry);
            assertEquals(id, StandardCharsets.UTF_8.decode(received.getCorrelationData().orElseThrow()).toString());
            assertEquals(DeliveryStatus.DELIVERED, receipt(tenant, id).status());
            assertEquals(1.0, messagesOut(tenant, DeliveryStatus.DELIVERED));
        }
        device.disconnect();
    }

    @Test
    void inquiryResponseCarriesTheDevicesRequestIdAsCorrelationDataAndItsMessageIdAsUserProperty() throws Exception {
        // given an MQTT 5 device listening for the answers to its inquiry r-42
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "van");
        Mqtt5BlockingClient device = Clients.connectedV5(gateway.port(), tenant, "van");
        device.subscribeWith().topicFilter("devices/van/inquiries/response/#").qos(MqttQos.AT_LEAST_ONCE).send();
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = device.publishes(MqttGlobalPublishFilter.ALL)) {
            // when the inquiry service sends the last answer
            String id = send(tenant, "van", InquiryTopics.response("r-42", InquiryAnswerType.LAST), "{\"lat\":1}",
                    Duration.ofMinutes(10));

            // then the device can match it to its request by correlation data, and still drop repeats by message id
            Mqtt5Publish received = inbox.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertEquals("devices/van/inquiries/response/r-42/last", received.getTopic().toString());
            assertEquals("r-42", StandardCharsets.UTF_8.decode(received.getCorrelationData().orElseThrow()).toString());
            assertEquals(List.of(id), received.getUserProperties().asList().stream()
                    .filter(p -> p.getName().toString().equals("outpost-message-id"))
                    .map(p -> p.getValue().toString()).toList());
            assertEquals(DeliveryStatus.DELIVERED, receipt(tenant, id).status());
        }
        device.disconnect();
    }

    @Test
    void aMessageForAnEarlierIncarnationOfTheDeviceNeverReachesTheDeviceCreatedAgainWithItsId() throws Exception {
        // given van, deleted and created again with the same id
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "van");
        Instant predecessor = directory.find(tenant + "/van").orElseThrow().createdAt();
        TestDevices.delete(directory, tenant, "van");
        TestDevices.register(directory, tenant, "van");
        Instant successor = directory.find(tenant + "/van").orElseThrow().createdAt();
        assertTrue(successor.isAfter(predecessor));
        Mqtt5BlockingClient device = Clients.connectedV5(gateway.port(), tenant, "van");
        device.subscribeWith().topicFilter("devices/van/#").qos(MqttQos.AT_LEAST_ONCE).send();
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = device.publishes(MqttGlobalPublishFilter.ALL);
                TestOwner owner = new TestOwner()) {
            // when an owner that has not yet heard of the deletion re-publishes the predecessor's command, then one
            // for the new van (same partition, in this order)
            Instant expiry = Instant.now().plus(Duration.ofMinutes(10));
            owner.send("c-old", tenant, "van", predecessor, "commands/request/c-old/unlock", "old", expiry);
            owner.send("c-new", tenant, "van", successor, "commands/request/c-new/horn", "new", expiry);

            // then the new van gets only its own
            Mqtt5Publish received = inbox.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertEquals("devices/van/commands/request/c-new/horn", received.getTopic().toString());
        }
        // and what it sends says which incarnation sent it
        device.publishWith().topic("devices/van/telemetry").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send();
        device.disconnect();
        ConsumerRecord<String, byte[]> reading = TopicReader.read(Topics.TELEMETRY, tenant + "/", 1,
                Duration.ofSeconds(10)).get(0);
        assertEquals(successor.toString(), new String(reading.headers().lastHeader(
                CloudEventHeaders.DEVICE_INCARNATION).value(), StandardCharsets.UTF_8));
    }

    @Test
    void messageThatArrivesBeforeTheSubscriptionIsDeliveredWhenTheDeviceSubscribes() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "van");
        Mqtt5BlockingClient device = Clients.connectedV5(gateway.port(), tenant, "van");
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = device.publishes(MqttGlobalPublishFilter.ALL)) {
            send(tenant, "van", "notifications/air-quality", "alert", Duration.ofMinutes(10));
            Thread.sleep(500);

            device.subscribeWith().topicFilter("devices/van/notifications/#").qos(MqttQos.AT_LEAST_ONCE).send();

            Mqtt5Publish received = inbox.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertEquals("devices/van/notifications/air-quality", received.getTopic().toString());
        }
        device.disconnect();
    }

    @Test
    void expiredMessageIsNeverDeliveredAndReportedExpired() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "van");
        Mqtt5BlockingClient device = Clients.connectedV5(gateway.port(), tenant, "van");
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = device.publishes(MqttGlobalPublishFilter.ALL)) {
            String stale = send(tenant, "van", "commands/request/c-0/unlock", "stale", Duration.ofSeconds(1));
            Thread.sleep(1500);
            device.subscribeWith().topicFilter("devices/van/#").qos(MqttQos.AT_LEAST_ONCE).send();
            send(tenant, "van", "commands/request/c-1/horn", "fresh", Duration.ofMinutes(1));

            Mqtt5Publish received = inbox.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertEquals("fresh", new String(received.getPayloadAsBytes(), StandardCharsets.UTF_8));
            assertEquals(Optional.empty(), inbox.receive(1, TimeUnit.SECONDS));
            assertEquals(DeliveryStatus.EXPIRED, receipt(tenant, stale).status());
            assertEquals(1.0, messagesOut(tenant, DeliveryStatus.EXPIRED));
        }
        device.disconnect();
    }

    @Test
    void messageForADeviceThatIsNotConnectedHereIsLeftToItsOwner() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "van");
        String id = send(tenant, "van", "commands/request/c-9/unlock", "x", Duration.ofMinutes(1));

        List<ConsumerRecord<String, byte[]>> receipts = TopicReader.read(Topics.DELIVERY_RECEIPTS, tenant + "/", 1,
                Duration.ofSeconds(2));
        assertEquals(List.of(), receipts, "no receipt for " + id);
    }

    private String send(String tenant, String device, String topic, String payload, Duration ttl) {
        try (TestOwner owner = new TestOwner()) {
            return owner.send(tenant, device, topic, payload, Instant.now().plus(ttl));
        }
    }

    private DeliveryReceipt receipt(String tenant, String messageId) throws Exception {
        return Receipts.of(json, tenant, messageId);
    }

    /** {@code outpost_bridge_messages_out_total} of the tenant with the status, over every message kind. */
    private double messagesOut(String tenant, DeliveryStatus status) {
        return metrics.find("outpost.bridge.messages.out").tags("tenant", tenant, "status", status.name()).counters()
                .stream().mapToDouble(Counter::count).sum();
    }
}
