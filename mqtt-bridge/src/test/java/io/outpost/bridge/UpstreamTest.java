package io.outpost.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;

import io.outpost.bridge.mqtt.Listener;
import io.outpost.bridge.mqtt.MqttGateway;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.Topics;
import io.outpost.testsupport.TopicReader;
import io.outpost.testsupport.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class UpstreamTest {
    @Inject
    MqttGateway gateway;
    @Inject
    DeviceDirectory directory;

    @Test
    void telemetryReachesKafkaUntouchedWithKeyAndCloudEventHeaders() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "truck-7");
        Mqtt5BlockingClient client = Clients.connectedV5(gateway.port(), tenant, "truck-7");
        byte[] payload = { 0, 1, 2, (byte) 0xFF, 'x' };

        client.publishWith().topic("devices/truck-7/telemetry/engine").qos(MqttQos.AT_LEAST_ONCE)
                .contentType("application/x-engine").payload(payload).send();
        client.publishWith().topic("devices/truck-7/commands/response/c-1/200").qos(MqttQos.AT_LEAST_ONCE)
                .payload("{\"ok\":true}".getBytes(StandardCharsets.UTF_8)).send();
        client.disconnect();

        ConsumerRecord<String, byte[]> telemetry = TopicReader.read(Topics.TELEMETRY, tenant + "/", 1,
                Duration.ofSeconds(10)).get(0);
        assertEquals(tenant + "/truck-7", telemetry.key());
        org.junit.jupiter.api.Assertions.assertArrayEquals(payload, telemetry.value());
        Headers headers = telemetry.headers();
        assertEquals("1.0", header(headers, CloudEventHeaders.SPEC_VERSION));
        assertEquals(CloudEventTypes.TELEMETRY, header(headers, CloudEventHeaders.TYPE));
        assertEquals("application/x-engine", header(headers, CloudEventHeaders.CONTENT_TYPE));
        assertEquals("telemetry/engine", header(headers, CloudEventHeaders.MQTT_TOPIC));
        assertEquals("1", header(headers, CloudEventHeaders.MQTT_QOS));
        assertEquals(tenant, header(headers, CloudEventHeaders.TENANT));
        ConsumerRecord<String, byte[]> response = TopicReader.read(Topics.COMMAND_RESPONSES, tenant + "/", 1,
                Duration.ofSeconds(10)).get(0);
        assertEquals("commands/response/c-1/200", header(response.headers(), CloudEventHeaders.MQTT_TOPIC));
    }

    @Test
    void continuingInquiryCarriesAValidLifetimeAndNoneForAnInvalidOne() throws Exception {
        // given an MQTT 5 device
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "tracker");
        Mqtt5BlockingClient client = Clients.connectedV5(gateway.port(), tenant, "tracker");

        // when it subscribes to positions once with lifetime=120 and once with lifetime=abc (each PUBACKed once in Kafka)
        client.publishWith().topic("devices/tracker/inquiries/subscribe/position/r-1").qos(MqttQos.AT_LEAST_ONCE)
                .userProperties().add("lifetime", "120").applyUserProperties().send();
        client.publishWith().topic("devices/tracker/inquiries/subscribe/position/r-2").qos(MqttQos.AT_LEAST_ONCE)
                .userProperties().add("lifetime", "abc").applyUserProperties().send();
        client.disconnect();

        // then both reach outpost.inquiries.v1, the first with ce_lifetime=120, the second without ce_lifetime
        List<ConsumerRecord<String, byte[]>> records = TopicReader.read(Topics.INQUIRIES, tenant + "/", 2,
                Duration.ofSeconds(10));
        assertEquals(2, records.size());
        Map<String, Headers> byTopic = new HashMap<>();
        records.forEach(r -> byTopic.put(header(r.headers(), CloudEventHeaders.MQTT_TOPIC), r.headers()));
        Headers valid = byTopic.get("inquiries/subscribe/position/r-1");
        assertEquals(CloudEventTypes.INQUIRY_SUBSCRIBE, header(valid, CloudEventHeaders.TYPE));
        assertEquals("120", header(valid, CloudEventHeaders.LIFETIME));
        assertNull(byTopic.get("inquiries/subscribe/position/r-2").lastHeader(CloudEventHeaders.LIFETIME));
    }

    @Test
    void deviceBehindAnHttpOnlyProxyPublishesOverWebSocket() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "ws");
        Mqtt5BlockingClient client = com.hivemq.client.mqtt.mqtt5.Mqtt5Client.builder().identifier("ws-client")
                .serverHost("127.0.0.1").serverPort(gateway.port(Listener.WEBSOCKET).getAsInt())
                .webSocketConfig().serverPath("mqtt").applyWebSocketConfig().buildBlocking();
        client.connectWith().simpleAuth().username("ws@" + tenant)
                .password(TestDevices.SECRET.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();

        client.publishWith().topic("devices/ws/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                .payload("over-websocket".getBytes(StandardCharsets.UTF_8)).send();
        client.disconnect();

        ConsumerRecord<String, byte[]> record = TopicReader.read(Topics.TELEMETRY, tenant + "/", 1,
                Duration.ofSeconds(10)).get(0);
        assertEquals("over-websocket", new String(record.value(), StandardCharsets.UTF_8));
    }

    @Test
    void everyAcknowledgedMessageOfAHundredDevicesIsInKafkaInOrder() throws Exception {
        // given 100 connected devices
        String tenant = TestDevices.newTenant();
        int devices = 100;
        int messages = 100;
        List<Mqtt5AsyncClient> clients = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            TestDevices.register(directory, tenant, "d" + d);
            clients.add(Clients.connectedV5(gateway.port(), tenant, "d" + d).toAsync());
        }

        // when each publishes 100 QoS 1 messages, one in flight at a time, and we note what was PUBACKed
        Map<String, List<Integer>> acknowledged = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            String device = "d" + d;
            Mqtt5AsyncClient client = clients.get(d);
            CompletableFuture<Void> run = CompletableFuture.completedFuture(null);
            for (int m = 0; m < messages; m++) {
                int sequence = m;
                run = run.thenCompose(v -> client.publishWith().topic("devices/" + device + "/telemetry")
                        .qos(MqttQos.AT_LEAST_ONCE).payload(Integer.toString(sequence).getBytes(StandardCharsets.UTF_8))
                        .send()
                        .thenAccept(result -> {
                            if (result.getError().isEmpty()) {
                                acknowledged.computeIfAbsent(device, k -> new ArrayList<>()).add(sequence);
                            }
                        }));
            }
            runs.add(run);
        }
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        clients.forEach(Mqtt5AsyncClient::disconnect);

        // then every acknowledged message is in Kafka, in order per device
        int total = acknowledged.values().stream().mapToInt(List::size).sum();
        assertEquals(devices * messages, total);
        Map<String, List<Integer>> inKafka = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : TopicReader.read(Topics.TELEMETRY, tenant + "/", total,
                Duration.ofSeconds(60))) {
            inKafka.computeIfAbsent(record.key().substring(tenant.length() + 1), k -> new ArrayList<>())
                    .add(Integer.parseInt(new String(record.value(), StandardCharsets.UTF_8)));
        }
        assertEquals(acknowledged, inKafka);
    }

    @Test
    void publishesAboveTheRateLimitGetQuotaExceededAndOnlyAcceptedOnesReachKafka() throws Exception {
        // given a device allowed 100 publishes a second with a burst of 200
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "chatty");
        Mqtt5AsyncClient client = Clients.connectedV5(gateway.port(), tenant, "chatty").toAsync();

        // when it sends 400 QoS 1 publishes at once
        List<CompletableFuture<Object>> outcomes = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String payload = Integer.toString(i);
            outcomes.add(client.publishWith().topic("devices/chatty/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload.getBytes(StandardCharsets.UTF_8)).send()
                    .handle((result, error) -> error == null ? payload : error));
        }
        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        client.disconnect();

        // then the ones over the limit are refused with 0x97 and exactly the accepted ones are in Kafka
        List<String> accepted = new ArrayList<>();
        int refused = 0;
        for (CompletableFuture<Object> outcome : outcomes) {
            if (outcome.get() instanceof String payload) {
                accepted.add(payload);
            } else {
                Throwable error = (Throwable) outcome.get();
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                assertEquals(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED,
                        ((Mqtt5PubAckException) cause).getMqttMessage().getReasonCode());
                refused++;
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(refused >= 100, "refused " + refused);
        List<String> inKafka = TopicReader.read(Topics.TELEMETRY, tenant + "/", accepted.size() + 1, Duration.ofSeconds(5))
                .stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
        assertEquals(accepted, inKafka);
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
