package io.outpost.systemtest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.outpost.testsupport.RegistryRecords;

/**
 * Notifications end to end with real processes: the notification service, two bridge nodes, MQTT 5 devices. A group
 * notification is one record; each node delivers it to its connected members; members that connect later catch up.
 */
class NotificationSystemTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void aGroupOfAThousandOverTwoNodesGetsItOnceEachOnlineNowOrOnConnect() throws Exception {
        String tenant = RegistryRecords.newTenant();
        String stranger = RegistryRecords.newTenant();
        RegistryRecords.putGroup(tenant, "district-9");
        RegistryRecords.putGroup(stranger, "district-9");
        for (int i = 0; i < 1000; i++) {
            RegistryRecords.put(tenant, "lamp-" + i, true, Devices.SECRET, List.of("district-9"));
        }
        for (int i = 0; i < 10; i++) {
            RegistryRecords.put(stranger, "lamp-" + i, true, Devices.SECRET, List.of("district-9"));
        }
        ExecutorService connectors = Executors.newFixedThreadPool(8);
        List<NotificationDevice> devices = new ArrayList<>();
        try (BridgeNode a = BridgeNode.start("notify-a");
                BridgeNode b = BridgeNode.start("notify-b");
                ServiceProcess service = CommandServiceNode.startService("notification-service", "notification-service",
                        Databases.create("notifications"))) {
            List<NotificationDevice> online = connect(connectors, tenant, "lamp-", 0, 600, a, b);
            List<NotificationDevice> strangers = connect(connectors, stranger, "lamp-", 0, 10, a, b);
            devices.addAll(online);
            devices.addAll(strangers);
            NotificationApi api = new NotificationApi(service.httpPort(), tenant);

            long sentAt = System.nanoTime();
            NotificationApi.Answer sent = awaitAccepted(api, "{\"target\":{\"group\":\"district-9\"},"
                    + "\"topic\":\"alerts/air\",\"payload\":{\"level\":\"high\"},\"ttl\":\"1h\"}");
            assertEquals(1000, sent.body().path("progress").path("addressed").asInt());
            String id = sent.id();
            await("every online member has it").atMost(PATIENCE)
                    .until(() -> online.stream().allMatch(device -> device.times(id) > 0));
            long slowest = online.stream().mapToLong(device -> device.firstAt(id) - sentAt).max().orElseThrow();
            TwoBridgeNodesTest.report(String.format("group notification to 600 online members over 2 nodes: the last"
                    + " had it %.0f ms after the POST%n", slowest / 1e6));

            List<NotificationDevice> later = connect(connectors, tenant, "lamp-", 600, 1000, a, b);
            devices.addAll(later);
            await("every member that connected later has it").atMost(PATIENCE)
                    .until(() -> later.stream().allMatch(device -> device.times(id) > 0));
            await("the service counts every member's delivery").atMost(PATIENCE).until(() -> api.get(id).body()
                    .path("progress").path("delivered").asInt() == 1000);
            assertEquals("FINISHED", api.get(id).body().path("state").asText());
            for (NotificationDevice device : devices) {
                assertTrue(device.times(id) <= 1, "at most once per session");
            }
            assertTrue(strangers.stream().allMatch(device -> device.ids().isEmpty()),
                    "another tenant's devices in a group of the same name get nothing");
        } finally {
            devices.forEach(NotificationDevice::close);
            connectors.shutdownNow();
        }
    }

    @Test
    void aRevokedNotificationWaitingOnANodeIsNeverDelivered() throws Exception {
        String tenant = RegistryRecords.newTenant();
        RegistryRecords.putGroup(tenant, "trucks");
        RegistryRecords.put(tenant, "truck-1", true, Devices.SECRET, List.of("trucks"));
        RegistryRecords.put(tenant, "truck-2", true, Devices.SECRET, List.of("trucks"));
        try (BridgeNode node = BridgeNode.start("notify-revoke");
                ServiceProcess service = CommandServiceNode.startService("notification-service", "notification-revoke",
                        Databases.create("notifications_revoke"));
                NotificationDevice waiting = NotificationDevice.connect(node.mqttPort(), tenant, "truck-1", false);
                NotificationDevice listening = NotificationDevice.connect(node.mqttPort(), tenant, "truck-2", true)) {
            NotificationApi api = new NotificationApi(service.httpPort(), tenant);
            String revoked = awaitAccepted(api, "{\"target\":{\"group\":\"trucks\"},\"topic\":\"closures\"}").id();
            await().atMost(PATIENCE).until(() -> listening.times(revoked) == 1);
            assertEquals(200, api.revoke(revoked).status());
            String next = awaitAccepted(api, "{\"target\":{\"group\":\"trucks\"},\"topic\":\"closures\"}").id();
            await().atMost(PATIENCE).until(() -> listening.times(next) == 1);

            waiting.subscribe("truck-1");
            await("the next one reaches the device that waited").atMost(PATIENCE).until(() -> waiting.times(next) == 1);
            assertEquals(0, waiting.times(revoked), "revoked while it waited on the node for the subscription");
        }
    }

    @Test
    void aServiceKilledWhileAFleetNotificationIsDeliveredLosesNothingAndDeliversNothingExpired() throws Exception {
        String tenant = RegistryRecords.newTenant();
        for (int i = 0; i < 100; i++) {
            RegistryRecords.put(tenant, "freezer-" + i, true, Devices.SECRET, List.of());
        }
        String database = Databases.create("notifications_kill");
        ExecutorService connectors = Executors.newFixedThreadPool(8);
        List<NotificationDevice> devices = new ArrayList<>();
        try (BridgeNode node = BridgeNode.start("notify-kill")) {
            List<NotificationDevice> online = connect(connectors, tenant, "freezer-", 0, 50, node, node);
            devices.addAll(online);
            ServiceProcess first = CommandServiceNode.startService("notification-service", "notification-before-kill",
                    database);
            NotificationApi api = new NotificationApi(first.httpPort(), tenant);
            String advisory = awaitAccepted(api, "{\"target\":{\"fleet\":true},\"topic\":\"advisories\",\"ttl\":\"1h\"}")
                    .id();
            NotificationApi.Answer shortLived = awaitAccepted(api,
                    "{\"target\":{\"fleet\":true},\"topic\":\"advisories\",\"ttl\":\"3s\"}");
            first.kill();

            Instant expiry = Instant.parse(shortLived.body().path("expiresAt").asText());
            await("the short-lived one has expired").atMost(PATIENCE).until(() -> Instant.now().isAfter(expiry));
            try (ServiceProcess second = CommandServiceNode.startService("notification-service",
                    "notification-after-kill", database)) {
                List<NotificationDevice> later = connect(connectors, tenant, "freezer-", 50, 100, node, node);
                devices.addAll(later);
                await("every device has the advisory").atMost(PATIENCE)
                        .until(() -> devices.stream().allMatch(device -> device.times(advisory) == 1));
                assertTrue(later.stream().allMatch(device -> device.times(shortLived.id()) == 0),
                        "connected after it expired: never delivered");
                NotificationApi after = new NotificationApi(second.httpPort(), tenant);
                await().atMost(PATIENCE).until(() -> after.get(shortLived.id()).body().path("state").asText()
                        .equals("EXPIRED") || after.get(shortLived.id()).body().path("state").asText()
                        .equals("FINISHED"));
            }
        } finally {
            devices.forEach(NotificationDevice::close);
            connectors.shutdownNow();
        }
    }

    /** Devices {@code prefix + from} until {@code prefix + to}, alternating between the nodes, subscribed to their notifications. */
    private static List<NotificationDevice> connect(ExecutorService connectors, String tenant, String prefix,
            int from, int to, BridgeNode a, BridgeNode b) throws Exception {
        List<Callable<NotificationDevice>> connects = new ArrayList<>();
        for (int i = from; i < to; i++) {
            int port = (i % 2 == 0 ? a : b).mqttPort();
            String device = prefix + i;
            connects.add(() -> NotificationDevice.connect(port, tenant, device, true));
        }
        List<NotificationDevice> connected = new ArrayList<>();
        for (Future<NotificationDevice> future : connectors.invokeAll(connects, 2, TimeUnit.MINUTES)) {
            connected.add(future.get());
        }
        return connected;
    }

    /** Sends, retrying while the service has not yet read the registry (503) or learnt of the group (404). */
    static NotificationApi.Answer awaitAccepted(NotificationApi api, String body) throws Exception {
        NotificationApi.Answer[] last = new NotificationApi.Answer[1];
        await("the notification is accepted").atMost(PATIENCE).until(() -> {
            last[0] = api.send(body);
            return last[0].status() == 202;
        });
        return last[0];
    }
}
