package io.outpost.systemtest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.sun.net.httpserver.HttpServer;

import io.outpost.device.Message;
import io.outpost.device.OutpostDevice;
import io.outpost.testsupport.RegistryRecords;

/**
 * Inquiries end to end with real processes: the inquiry service (killed with SIGKILL and started again mid-stream),
 * two bridge nodes, MQTT 5 devices (the SDK and a bare client), a real HTTP webhook.
 */
class InquirySystemTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void aDeviceAsksOnceAndAStreamGoesOnAcrossNodesReconnectsAndAServiceCrash() throws Exception {
        String tenant = RegistryRecords.newTenant();
        Devices.register(tenant, "toaster");
        Devices.register(tenant, "truck");
        String database = Databases.create("inquiries");
        HttpServer webhook = weatherWebhook();
        try (BridgeNode a = BridgeNode.start("inquiry-a");
                BridgeNode b = BridgeNode.start("inquiry-b")) {
            ServiceProcess first = startService("inquiry-before-kill", database);
            InquiryApi api = new InquiryApi(first.httpPort(), tenant);
            String url = "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook";
            assertEquals(201, api.putHandler("weather", "{\"kind\":\"webhook\",\"url\":\"" + url
                    + "\",\"secret\":\"" + Devices.SECRET + Devices.SECRET + "\"}").status());
            assertEquals(201, api.putHandler("traffic", "{\"kind\":\"kafka\"}").status());

            try (OutpostDevice toaster = OutpostDevice.builder().endpoint("127.0.0.1", a.mqttPort())
                    .credentials(tenant, "toaster", Devices.SECRET).build()) {
                connect(toaster);
                Message answer = toaster.ask("weather", "{\"city\":\"Bern\"}").get(30, TimeUnit.SECONDS);
                assertEquals("{\"sky\":\"clear\"}", answer.text());
            }

            StreamingDevice onA = StreamingDevice.connect(a.mqttPort(), tenant, "truck");
            onA.subscribe("traffic", "route-1");
            JsonNode inquiry = await("the inquiry is stored").atMost(PATIENCE).until(() -> api.find("truck", "route-1"),
                    found -> found != null);
            String id = inquiry.path("id").asText();
            answer(api, id, 1, 20);
            await("answers 1-20 on node a").atMost(PATIENCE).until(() -> onA.answers().size() == 20);

            onA.close();
            answer(api, id, 21, 30);
            StreamingDevice onB = StreamingDevice.connect(b.mqttPort(), tenant, "truck");
            onB.listen();
            answer(api, id, 31, 40);
            first.kill();
            try (ServiceProcess second = startService("inquiry-after-kill", database)) {
                InquiryApi after = new InquiryApi(second.httpPort(), tenant);
                answer(after, id, 41, 50);
                await("answers 21-50, every acknowledged one, on node b after the crash").atMost(PATIENCE)
                        .until(() -> onB.answers().size() == 30);
                List<String> all = new java.util.ArrayList<>(onA.allAnswers());
                all.addAll(onB.allAnswers());
                assertEquals(IntStream.rangeClosed(1, 50).mapToObj(n -> "{\"n\":" + n + "}").toList(), all,
                        "in order, none lost, each once (by message id)");

                onB.cancel("route-1");
                await("cancelled").atMost(PATIENCE).until(() -> after.find("truck", "route-1").path("state").asText()
                        .equals("CANCELLED"));
                assertEquals(409, after.answer(id, "{\"payload\":{\"n\":51}}").status());
                onB.close();
            }
        } finally {
            webhook.stop(0);
        }
    }

    private static void answer(InquiryApi api, String id, int from, int to) throws Exception {
        for (int n = from; n <= to; n++) {
            assertEquals(202, api.answer(id, "{\"payload\":{\"n\":" + n + "}}").status(), "answer " + n);
        }
    }

    private static ServiceProcess startService(String name, String database) {
        return ServiceProcess.start("inquiry-service", name, Map.ofEntries(
                Map.entry("kafka.bootstrap.servers", io.outpost.testsupport.InProcessKafka.bootstrapServers()),
                Map.entry("quarkus.datasource.jdbc.url", database),
                Map.entry("quarkus.datasource.username", io.outpost.testsupport.InProcessPostgres.username()),
                Map.entry("quarkus.datasource.password", "unused"),
                Map.entry("quarkus.oidc.auth-server-url", ""),
                Map.entry("quarkus.oidc.public-key", io.outpost.testsupport.TestTokens.publicKey()),
                Map.entry("quarkus.oidc.token.issuer", io.outpost.testsupport.TestTokens.ISSUER),
                Map.entry("outpost.inquiry.webhook-allow-loopback-http", "true")));
    }

    /** A tenant's weather service: answers every inquiry with a clear sky. */
    private static HttpServer weatherWebhook() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"sky\":\"clear\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static void connect(OutpostDevice device) throws Exception {
        await("the SDK device connects").atMost(PATIENCE).ignoreExceptions()
                .until(() -> device.connect().get(10, TimeUnit.SECONDS) == null);
    }

    /** A bare MQTT 5 device following one stream: answers by message id (delivery is at least once), in arrival order. */
    private static final class StreamingDevice implements AutoCloseable {
        private final Mqtt5AsyncClient client;
        private final String device;
        private final Map<String, String> byId = new ConcurrentHashMap<>();
        private final List<String> arrived = new CopyOnWriteArrayList<>();

        private StreamingDevice(Mqtt5AsyncClient client, String device) {
            this.client = client;
            this.device = device;
        }

        static StreamingDevice connect(int port, String tenant, String device) throws InterruptedException {
            return new StreamingDevice(Devices.connect(port, tenant, device), device);
        }

        void listen() {
            client.subscribeWith().topicFilter("devices/" + device + "/inquiries/response/#")
                    .qos(MqttQos.AT_LEAST_ONCE).callback(publish -> {
                        String id = publish.getUserProperties().asList().stream()
                                .filter(property -> property.getName().toString().equals("outpost-message-id"))
                                .map(Mqtt5UserProperty::getValue).map(Object::toString).findFirst().orElseThrow();
                        String text = new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
                        if (byId.putIfAbsent(id, text) == null) {
                            arrived.add(text);
                        }
                    }).send().join();
        }

        void subscribe(String name, String requestId) {
            listen();
            client.publishWith().topic("devices/" + device + "/inquiries/subscribe/" + name + "/" + requestId)
                    .qos(MqttQos.AT_LEAST_ONCE).payload("{}".getBytes(StandardCharsets.UTF_8)).send().join();
        }

        void cancel(String requestId) {
            client.publishWith().topic("devices/" + device + "/inquiries/cancel/" + requestId)
                    .qos(MqttQos.AT_LEAST_ONCE).send().join();
        }

        Map<String, String> answers() {
            return byId;
        }

        List<String> allAnswers() {
            return List.copyOf(arrived);
        }

        @Override
        public void close() {
            client.disconnect().join();
        }
    }
}
