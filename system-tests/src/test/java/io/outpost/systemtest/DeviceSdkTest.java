package io.outpost.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.Topics;
import io.outpost.device.CommandResult;
import io.outpost.device.Message;
import io.outpost.device.Notification;
import io.outpost.device.OutpostDevice;
import io.outpost.testsupport.RegistryRecords;
import io.outpost.testsupport.TestOwner;
import io.outpost.testsupport.TopicReader;

/** The device SDK against real bridge nodes on real Kafka, the owners played by {@link TestOwner}. */
class DeviceSdkTest {
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static BridgeNode node1;
    private static BridgeNode node2;

    @BeforeAll
    static void start() {
        node1 = BridgeNode.start("sdk-node-1");
        node2 = BridgeNode.start("sdk-node-2");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        node1.close();
        node2.close();
    }

    @Test
    void telemetryIsInKafkaWhenTheFutureCompletes() throws Exception {
        String tenant = RegistryRecords.newTenant();
        Devices.register(tenant, "meter");
        try (OutpostDevice device = device(tenant, "meter", node1).build()) {
            connect(device);
            device.sendTelemetry("power", "{\"watts\":412}").get(10, TimeUnit.SECONDS);

            ConsumerRecord<String, byte[]> record = TopicReader.read(Topics.TELEMETRY, tenant + "/", 1, PATIENCE).get(0);
            assertEquals("{\"watts\":412}", new String(record.value(), StandardCharsets.UTF_8));
            assertEquals("telemetry/power", header(record, CloudEventHeaders.MQTT_TOPIC));
        }
    }

    @Test
    void aCommandRunsOnceEvenIfDeliveredTwiceAndItsResultReachesTheOwner() throws Exception {
        String tenant = RegistryRecords.newTenant();
        Devices.register(tenant, "door");
        List<String> ran = new CopyOnWriteArrayList<>();
        try (OutpostDevice device = device(tenant, "door", node1).onCommand(command -> {
            ran.add(command.id() + ":" + command.name() + ":" + command.text());
            return CommandResult.succeeded("{\"unlocked\":true}");
        }).build(); TestOwner owner = new TestOwner()) {
            connect(device);
            Instant expiry = Instant.now().plusSeconds(60);
            owner.send("c-1", tenant, "door", "commands/request/c-1/unlock", "{\"doors\":\"all\"}", expiry);
            owner.send("c-1", tenant, "door", "commands/request/c-1/unlock", "{\"doors\":\"all\"}", expiry);

            ConsumerRecord<String, byte[]> reply = TopicReader.read(Topics.COMMAND_RESPONSES, tenant + "/", 1, PATIENCE)
                    .get(0);
            assertEquals("commands/response/c-1/succeeded", header(reply, CloudEventHeaders.MQTT_TOPIC));
            assertEquals("{\"unlocked\":true}", new String(reply.value(), StandardCharsets.UTF_8));
            Thread.sleep(500);
            assertEquals(List.of("c-1:unlock:{\"doors\":\"all\"}"), ran);
        }
    }

    @Test
    void notificationsArriveOnceAndInquiriesGetTheirAnswers() throws Exception {
        String tenant = RegistryRecords.newTenant();
        Devices.register(tenant, "kiosk");
        List<Message> notifications = new CopyOnWriteArrayList<>();
        try (OutpostDevice device = device(tenant, "kiosk", node1).onNotification(notifications::add).build();
                TestOwner owner = new TestOwner()) {
            connect(device);
            Instant expiry = Instant.now().plusSeconds(60);
            owner.send("n-1", tenant, "kiosk", "notifications/air/alert", "{\"pm10\":80}", expiry);
            owner.send("n-1", tenant, "kiosk", "notifications/air/alert", "{\"pm10\":80}", expiry);

            CompletableFuture<Message> answer = device.ask("weather", "{}".getBytes(StandardCharsets.UTF_8),
                    "application/json");
            ConsumerRecord<String, byte[]> request = TopicReader.read(Topics.INQUIRIES, tenant + "/", 1, PATIENCE)
                    .get(0);
            String requestTopic = header(request, CloudEventHeaders.MQTT_TOPIC);
            assertTrue(requestTopic.startsWith("inquiries/request/weather/"), requestTopic);
            String requestId = requestTopic.substring(requestTopic.lastIndexOf('/') + 1);
            owner.send(tenant, "kiosk", "inquiries/response/" + requestId + "/last", "{\"sky\":\"clear\"}", expiry);

            assertEquals("{\"sky\":\"clear\"}", answer.get(10, TimeUnit.SECONDS).text());
            Thread.sleep(300);
            assertEquals(1, notifications.size(), "the second copy of n-1 is dropped");
            assertEquals("n-1", notifications.get(0).id());
            assertEquals("notifications/air/alert", notifications.get(0).topic());
        }
    }

    @Test
    void notificationsReachEveryHandlerWhoseFilterMatchesOnceAcrossSessionsAndAFailingHandlerStopsNothing()
            throws Exception {
        String tenant = RegistryRecords.newTenant();
        Devices.register(tenant, "lamp");
        List<String> alerts = new CopyOnWriteArrayList<>();
        List<Notification> all = new CopyOnWriteArrayList<>();
        CountDownLatch middle = new CountDownLatch(1);
        CountDownLatch end = new CountDownLatch(1);
        try (OutpostDevice device = device(tenant, "lamp", node1)
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .onNotification("alerts/#", notification -> {
                    alerts.add(notification.id() + " " + notification.topic());
                    throw new IllegalStateException("the alert display is broken");
                })
                .onNotification("#", notification -> {
                    all.add(notification);
                    switch (notification.topic()) {
                        case "marker/middle" -> middle.countDown();
                        case "marker/end" -> end.countDown();
                        default -> { }
                    }
                }).build();
                TestOwner owner = new TestOwner()) {
            connect(device);
            Instant expiry = Instant.now().plusSeconds(120);
            owner.send("n-fire", tenant, "lamp", "notifications/alerts/fire/kitchen", "{\"level\":3}", expiry);
            owner.send("n-news", tenant, "lamp", "notifications/news", "{}", expiry);
            owner.send("n-flood", tenant, "lamp", "notifications/alerts/flood", "{}", expiry);
            owner.send("n-middle", tenant, "lamp", "notifications/marker/middle", "{}", expiry);
            assertTrue(middle.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "n-middle arrived");

            // A second connection of the device ends this session; the SDK takes over again in a new one, where the
            // bridge no longer knows that n-fire was delivered: only the SDK can drop the copy.
            Devices.connect(node1.mqttPort(), tenant, "lamp").disconnect().exceptionally(error -> null);
            awaitConnections(device, 2);
            owner.send("n-fire", tenant, "lamp", "notifications/alerts/fire/kitchen", "{\"level\":3}", expiry);
            owner.send("n-end", tenant, "lamp", "notifications/marker/end", "{}", expiry);
            assertTrue(end.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "n-end arrived");

            assertEquals(List.of("n-fire alerts/fire/kitchen", "n-flood alerts/flood"), alerts);
            assertEquals(List.of("n-fire", "n-news", "n-flood", "n-middle", "n-end"),
                    all.stream().map(Notification::id).toList(), "handled once each, in order");
            Notification fire = all.get(0);
            assertEquals("alerts/fire/kitchen", fire.topic());
            assertEquals("{\"level\":3}", fire.text());
            assertEquals("application/json", fire.contentType());
            long secondsLeft = fire.expiresIn().toSeconds();
            assertTrue(secondsLeft > 60 && secondsLeft <= 120, "expires in " + secondsLeft + " s");
            device.sendTelemetry(null, "{\"still\":\"working\"}").get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void afterItsNodeIsKilledTheDeviceReconnectsToTheNextEndpointAndResubscribes() throws Exception {
        String tenant = RegistryRecords.newTenant();
        Devices.register(tenant, "bus");
        List<String> ran = new CopyOnWriteArrayList<>();
        try (BridgeNode doomed = BridgeNode.start("sdk-node-doomed");
                OutpostDevice device = OutpostDevice.builder().endpoint("127.0.0.1", doomed.mqttPort())
                        .endpoint("127.0.0.1", node2.mqttPort()).credentials(tenant, "bus", Devices.SECRET)
                        .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                        .onCommand(command -> {
                            ran.add(command.id());
                            return CommandResult.succeeded("{}");
                        }).build();
                TestOwner owner = new TestOwner()) {
            connect(device);
            doomed.kill();
            awaitConnections(device, 2);

            device.sendTelemetry(null, "{\"after\":\"reconnect\"}").get(10, TimeUnit.SECONDS);
            awaitSubscribedOn(tenant, node2);
            owner.send("c-after", tenant, "bus", "commands/request/c-after/stop", "{}", Instant.now().plusSeconds(60));
            TopicReader.read(Topics.COMMAND_RESPONSES, tenant + "/", 1, PATIENCE);
            assertEquals(List.of("c-after"), ran);
        }
    }

    @Test
    void aWrongSecretFailsTheFirstConnect() throws InterruptedException {
        String tenant = RegistryRecords.newTenant();
        Devices.register(tenant, "lost");
        // Once the right secret works, the node knows the device: the refusal below is about the secret.
        Devices.connect(node1.mqttPort(), tenant, "lost").disconnect().join();
        try (OutpostDevice device = OutpostDevice.builder().endpoint("127.0.0.1", node1.mqttPort())
                .credentials(tenant, "lost", "not-the-secret-0123456789").build()) {
            assertThrows(ExecutionException.class, () -> device.connect().get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void theBridgeNeverSendsMoreThanTheSdkAnnouncedItTakes() throws Exception {
        // given a device whose SDK announces a 1,024-byte Maximum Packet Size
        String tenant = RegistryRecords.newTenant();
        Devices.register(tenant, "sensor");
        List<String> ran = new CopyOnWriteArrayList<>();
        try (OutpostDevice device = device(tenant, "sensor", node1).maximumPacketSize(1024).receiveMaximum(2)
                .onCommand(command -> {
                    ran.add(command.id());
                    return CommandResult.succeeded("{}");
                }).build(); TestOwner owner = new TestOwner()) {
            connect(device);
            // when a command of 2,000 bytes and then a small one are sent
            Instant expiry = Instant.now().plusSeconds(60);
            owner.send("c-big", tenant, "sensor", "commands/request/c-big/flash", "x".repeat(2000), expiry);
            owner.send("c-small", tenant, "sensor", "commands/request/c-small/ping", "{}", expiry);

            // then the small one runs, the big one never reaches the device, and its owner learns it is undeliverable
            TopicReader.read(Topics.COMMAND_RESPONSES, tenant + "/", 1, PATIENCE);
            assertEquals(List.of("c-small"), ran);
            List<String> receipts = TopicReader.read(Topics.DELIVERY_RECEIPTS, tenant + "/", 2, PATIENCE).stream()
                    .map(record -> new String(record.value(), StandardCharsets.UTF_8)).toList();
            assertTrue(receipts.stream().anyMatch(r -> r.contains("\"c-big\"") && r.contains("UNDELIVERABLE")
                    && r.contains("larger than the device accepts")), receipts.toString());
            assertEquals(1, device.connections(), "no reconnect: nothing oversize reached the device");
        }
    }

    private static OutpostDevice.Builder device(String tenant, String device, BridgeNode node) {
        return OutpostDevice.builder().endpoint("127.0.0.1", node.mqttPort()).credentials(tenant, device, Devices.SECRET);
    }

    /** Connects, retrying while the node's registry view has not yet learnt of the device. */
    private static void connect(OutpostDevice device) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                device.connect().get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("device did not connect", e);
                }
                Thread.sleep(100);
            }
        }
    }

    private static void awaitConnections(OutpostDevice device, int connections) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (device.connections() < connections && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(connections, device.connections(), "connections");
    }

    private static void awaitSubscribedOn(String tenant, BridgeNode node) {
        TopicReader.readUntil(Topics.DEVICE_SESSIONS, tenant + "/", records -> records.stream()
                .anyMatch(record -> new String(record.value(), StandardCharsets.UTF_8).contains("\"SUBSCRIBED\"")
                        && new String(record.value(), StandardCharsets.UTF_8).contains(node.id())), PATIENCE);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
