package io.outpost.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.bridge.config.BridgeConfig;
import io.outpost.bridge.mqtt.MqttGateway;
import io.outpost.contracts.Topics;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A session holds at most {@code max-waiting-messages} outbound messages. One more never disappears silently: the
 * session ends, so the device reconnects and the owners re-publish everything still pending (no receipt was sent for
 * any of them).
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class WaitingQueueOverflowTest {
    private static final Duration TTL = Duration.ofMinutes(5);

    @Inject
    MqttGateway gateway;
    @Inject
    DeviceDirectory directory;
    @Inject
    BridgeConfig config;
    @Inject
    MeterRegistry metrics;

    @Test
    void mqtt5SessionThatWouldOverflowEndsWithQuotaExceededAndNothingIsReported() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "van");
        CompletableFuture<Mqtt5DisconnectReasonCode> disconnected = new CompletableFuture<>();
        Clients.connectedV5(gateway.port(), tenant, "van", disconnected);

        try (SkewedOwner owner = new SkewedOwner()) {
            // Notifications the device has not subscribed to wait in its session: one more than it may hold.
            owner.sendMany(tenant, "van", "notifications/air", config.mqtt().maxWaitingMessages() + 1, TTL);
        }

        assertEquals(Mqtt5DisconnectReasonCode.QUOTA_EXCEEDED, disconnected.get(20, TimeUnit.SECONDS));
        assertEquals(1.0, overflows(tenant));
        List<ConsumerRecord<String, byte[]>> receipts = TopicReader.read(Topics.DELIVERY_RECEIPTS, tenant + "/", 1,
                Duration.ofSeconds(2));
        assertEquals(List.of(), receipts, "the owners must keep every message pending");
    }

    @Test
    void mqtt311SessionThatWouldOverflowIsClosedAndTheReconnectedDeviceGetsMessages() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "van");
        Mqtt3BlockingClient device = Clients.connectedV3(gateway.port(), tenant, "van");

        try (SkewedOwner owner = new SkewedOwner()) {
            owner.sendMany(tenant, "van", "notifications/air", config.mqtt().maxWaitingMessages() + 1, TTL);
            TestDevices.await(() -> !device.getState().isConnected());
            assertEquals(1.0, overflows(tenant));

            Mqtt5BlockingClient again = Clients.connectedV5(gateway.port(), tenant, "van");
            again.subscribeWith().topicFilter("devices/van/notifications/#").qos(MqttQos.AT_LEAST_ONCE).send();
            try (Mqtt5BlockingClient.Mqtt5Publishes inbox = again.publishes(MqttGlobalPublishFilter.ALL)) {
                owner.send(tenant, "van", "notifications/air", "re-published", TTL);
                assertEquals("re-published", new String(inbox.receive(10, TimeUnit.SECONDS).orElseThrow()
                        .getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            again.disconnect();
        }
    }

    private double overflows(String tenant) {
        Counter counter = metrics.find("outpost.bridge.outbound.overflows").tag("tenant", tenant).counter();
        return counter == null ? 0 : counter.count();
    }
}
