package io.outpost.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.outpost.contracts.Topics;
import io.outpost.systemtest.CommandApi.Answer;
import io.outpost.systemtest.CommandDevice.Behaviour;
import io.outpost.testsupport.RegistryRecords;
import io.outpost.testsupport.TopicReader;

/**
 * ARCHITECTURE.md, device lifecycle, with a real bridge and real services: a command sent to a device that is then
 * deleted and created again with the same id never reaches the new device, whether the command service hears of the
 * deletion before the new device connects or only after a restart; a notification service that was down when a
 * device was deleted ends its notification when it starts again.
 */
class DeviceLifecycleSystemTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String UNLOCK = "{\"name\":\"unlock-old-owner\",\"ttl\":\"PT10M\"}";
    private static final String HELLO = "{\"name\":\"hello-new-owner\"}";

    @Test
    void aCommandForADeletedDeviceNeverReachesTheDeviceCreatedAgainWithItsId() throws Exception {
        // given a command for reuse-1 while it is offline
        String tenant = RegistryRecords.newTenant();
        Devices.register(tenant, "reuse-1");
        String database = Databases.create("commands_lifecycle");
        try (BridgeNode node = BridgeNode.start("lifecycle-node");
                CommandServiceNode commands = CommandServiceNode.start("command-service-lifecycle", database)) {
            CommandApi api = commands.api(tenant);
            String old = accepted(api.send("reuse-1", UNLOCK, ""));

            // when reuse-1 is deleted, created again at once, and the new one connects straight away
            RegistryRecords.delete(tenant, "reuse-1");
            RegistryRecords.put(tenant, "reuse-1", true, Devices.SECRET);
            try (CommandDevice device = CommandDevice.connect(node.mqttPort(), tenant, "reuse-1",
                    Behaviour.ACKNOWLEDGE)) {
                // then the old command is gone, and the new device gets only what is sent to it
                awaitGone(api, old);
                String fresh = accepted(api.send("reuse-1", HELLO, ""));
                assertEquals(List.of(fresh), device.awaitReceived(1, PATIENCE));
                assertTrue(device.receivesNoMoreThan(1, Duration.ofSeconds(1)), "only its own command");
            }
            assertCancelledBecauseDeleted(tenant, old);
        }
    }

    @Test
    void aFleetDeletedAndCreatedAgainThatReconnectsAtOnceGetsNoneOfItsPredecessorsCommands() throws Exception {
        // given 20 devices, each with a command waiting while offline
        String tenant = RegistryRecords.newTenant();
        int fleet = 20;
        for (int i = 0; i < fleet; i++) {
            Devices.register(tenant, "unit-" + i);
        }
        String database = Databases.create("commands_lifecycle_storm");
        try (BridgeNode node = BridgeNode.start("lifecycle-storm-node");
                CommandServiceNode commands = CommandServiceNode.start("command-service-storm", database)) {
            CommandApi api = commands.api(tenant);
            List<String> old = new ArrayList<>();
            for (int i = 0; i < fleet; i++) {
                old.add(accepted(api.send("unit-" + i, UNLOCK, "")));
            }

            // when every one is deleted and created again, and all reconnect at once while the deletions are applied
            for (int i = 0; i < fleet; i++) {
                RegistryRecords.delete(tenant, "unit-" + i);
                RegistryRecords.put(tenant, "unit-" + i, true, Devices.SECRET);
            }
            List<CommandDevice> devices = new ArrayList<>();
            try {
                for (int i = 0; i < fleet; i++) {
                    devices.add(CommandDevice.connect(node.mqttPort(), tenant, "unit-" + i, Behaviour.ACKNOWLEDGE));
                }
                // then each gets only the command sent to it afterwards
                for (String id : old) {
                    awaitGone(api, id);
                }
                for (int i = 0; i < fleet; i++) {
                    String fresh = accepted(api.send("unit-" + i, HELLO, ""));
                    assertEquals(List.of(fresh), devices.get(i).awaitReceived(1, PATIENCE), "unit-" + i);
                }
                for (CommandDevice device : devices) {
                    assertTrue(device.receivesNoMoreThan(1, Duration.ofMillis(100)));
                }
            } finally {
                devices.forEach(CommandDevice::close);
            }
        }
    }

    @Test
    void aDeviceDeletedWhileTheCommandServiceWasDownLosesItsCommandsWhenTheServiceIsBack() throws Exception {
        // given a command for reuse-2 while it is offline, and the command service stopped
        String tenant = RegistryRecords.newTenant();
        Devices.register(tenant, "reuse-2");
        String database = Databases.create("commands_lifecycle_restart");
        try (BridgeNode node = BridgeNode.start("lifecycle-restart-node")) {
            CommandServiceNode first = CommandServiceNode.start("command-service-before-delete", database);
            String old = accepted(first.api(tenant).send("reuse-2", UNLOCK, ""));
            first.close();

            // when reuse-2 is deleted and created again while it is down, then it starts again
            RegistryRecords.delete(tenant, "reuse-2");
            RegistryRecords.put(tenant, "reuse-2", true, Devices.SECRET);
            try (CommandServiceNode second = CommandServiceNode.start("command-service-after-delete", database);
                    CommandDevice device = CommandDevice.connect(node.mqttPort(), tenant, "reuse-2",
                            Behaviour.ACKNOWLEDGE)) {
                // then the old command ends and is gone, and the new device gets only its own
                CommandApi api = second.api(tenant);
                awaitGone(api, old);
                String fresh = accepted(api.send("reuse-2", HELLO, ""));
                assertEquals(List.of(fresh), device.awaitReceived(1, PATIENCE));
                assertTrue(device.receivesNoMoreThan(1, Duration.ofSeconds(1)), "only its own command");
            }
            assertCancelledBecauseDeleted(tenant, old);
        }
    }

    @Test
    void aDeviceDeletedWhileTheNotificationServiceWasDownHasItsNotificationRevokedWhenTheServiceIsBack()
            throws Exception {
        // given a notification waiting for kiosk-1, and the notification service stopped
        String tenant = RegistryRecords.newTenant();
        Devices.register(tenant, "kiosk-1");
        String database = Databases.create("notifications_lifecycle");
        String id;
        try (ServiceProcess before = CommandServiceNode.startService("notification-service",
                "notification-service-before-delete", database)) {
            id = NotificationSystemTest.awaitAccepted(new NotificationApi(before.httpPort(), tenant),
                    "{\"target\":{\"device\":\"kiosk-1\"},\"topic\":\"news\",\"payload\":{},\"ttl\":\"1h\"}").id();
        }

        // when kiosk-1 is deleted while it is down, and it starts again
        RegistryRecords.delete(tenant, "kiosk-1");
        try (ServiceProcess after = CommandServiceNode.startService("notification-service",
                "notification-service-after-delete", database)) {
            // then the notification ends REVOKED, "device deleted"
            NotificationApi api = new NotificationApi(after.httpPort(), tenant);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            JsonNode notification = api.get(id).body();
            while (!"REVOKED".equals(notification.path("state").asText()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
                notification = api.get(id).body();
            }
            assertEquals("REVOKED", notification.path("state").asText(), notification.toString());
            assertEquals("device deleted", notification.path("reason").asText());
        }
    }

    private static void awaitGone(CommandApi api, String id) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (api.get(id).status() != 404) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("command " + id + " of the deleted device is still there");
            }
            Thread.sleep(100);
        }
    }

    /** Its last event on outpost.command-events.v1 is CANCELLED, "device deleted". */
    private static void assertCancelledBecauseDeleted(String tenant, String id) {
        List<String> events = TopicReader.readUntil(Topics.COMMAND_EVENTS, tenant + "/",
                records -> records.stream().anyMatch(r -> text(r.value()).contains("device deleted")), PATIENCE)
                .stream().map(r -> text(r.value())).filter(event -> event.contains(id)).toList();
        assertTrue(events.get(events.size() - 1).contains("\"CANCELLED\""), events.toString());
        assertTrue(events.get(events.size() - 1).contains("device deleted"), events.toString());
    }

    private static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }

    private static String accepted(Answer answer) {
        assertEquals(202, answer.status(), answer.body().toString());
        return answer.id();
    }
}
