package io.outpost.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;

import io.outpost.bridge.mqtt.Listener;
import io.outpost.bridge.mqtt.MqttGateway;
import io.outpost.contracts.Topics;
import io.outpost.testsupport.TopicReader;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(DevCertificates.class)
class TlsTest {
    @Inject
    MqttGateway gateway;
    @Inject
    DeviceDirectory directory;

    @Test
    void deviceTrustingTheDevCaPublishesOverTls() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "secure");
        MqttClientSslConfig ssl = MqttClientSslConfig.builder().trustManagerFactory(DevCertificates.trustDevCa()).build();

        publish(client(Listener.TLS).sslConfig(ssl), tenant, "secure", "over-tls");
        publish(client(Listener.TLS_WEBSOCKET).sslConfig(ssl).webSocketConfig().serverPath("mqtt")
                .applyWebSocketConfig(), tenant, "secure", "over-wss");

        assertEquals(List.of("over-tls", "over-wss"), TopicReader.read(Topics.TELEMETRY, tenant + "/", 2,
                Duration.ofSeconds(10)).stream().map(TlsTest::text).toList());
    }

    @Test
    void clientThatDoesNotTrustTheServerCertificateCannotConnect() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "secure");
        // The JVM's default trust store does not hold the development CA.
        Mqtt5BlockingClient client = client(Listener.TLS).sslWithDefaultConfig().buildBlocking();

        assertThrows(RuntimeException.class, () -> client.connectWith().simpleAuth().username("secure@" + tenant)
                .password(TestDevices.SECRET.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send());
    }

    @Test
    void plainMqttClientCannotTalkToTheTlsListener() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "secure");
        Mqtt5BlockingClient client = client(Listener.TLS).buildBlocking();

        assertThrows(RuntimeException.class, () -> client.connectWith().simpleAuth().username("secure@" + tenant)
                .password(TestDevices.SECRET.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send());
    }

    private Mqtt5ClientBuilder client(Listener listener) {
        return Mqtt5Client.builder().identifier("tls-" + listener).serverHost("localhost")
                .serverPort(gateway.port(listener).getAsInt());
    }

    private static void publish(Mqtt5ClientBuilder builder, String tenant, String device, String text) {
        Mqtt5BlockingClient client = builder.buildBlocking();
        client.connectWith().simpleAuth().username(device + "@" + tenant)
                .password(TestDevices.SECRET.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
        client.publishWith().topic("devices/" + device + "/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                .payload(text.getBytes(StandardCharsets.UTF_8)).send();
        client.disconnect();
    }

    private static String text(ConsumerRecord<String, byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }
}
