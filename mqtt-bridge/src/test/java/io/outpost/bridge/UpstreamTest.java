package io.outpost.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;

import io.outpost.bridge.mqtt.MqttGateway;
import io.outpost.bridge.registry.DeviceDirectory;
import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.Topics;
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

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
