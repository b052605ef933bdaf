package io.outpost.notification;

import static io.outpost.notification.Api.as;
import static io.outpost.notification.Api.notifications;
import static io.outpost.notification.Api.operator;
import static io.outpost.testsupport.TopicTap.header;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.DeliveryStatus;
import io.outpost.contracts.MessageKind;
import io.outpost.contracts.Topics;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.registryview.GroupDirectory;
import io.outpost.testsupport.FakeBridge;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.outpost.testsupport.RegistryRecords;
import io.outpost.testsupport.TopicTap;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Delivery as the bridge sees it (played on Kafka): one outbound record per group or fleet notification, copies for
 * members that catch up, receipts counted once per member, revocation and expiry.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class NotificationDeliveryTest {
    @Inject
    DeviceDirectory devices;
    @Inject
    GroupDirectory groups;
    @Inject
    DataSource dataSource;

    private final TopicTap outbound = TopicTap.of(Topics.OUTBOUND);
    private final TopicTap events = TopicTap.of(Topics.NOTIFICATION_EVENTS);
    private String tenant;

    @BeforeEach
    void tenantWithAGroup() {
        tenant = RegistryRecords.newTenant();
        Api.group(groups, tenant, "district-9");
        Api.device(devices, tenant, "lamp-1", List.of("district-9"));
        Api.device(devices, tenant, "lamp-2", List.of("district-9"));
        Api.device(devices, tenant, "truck-7", List.of());
    }

    @Test
    void aGroupNotificationIsOneRecordAndMembersCatchUpOnConnectUntilTheyHaveIt() {
        String id = send(Map.of("group", "district-9"), "1h");
        ConsumerRecord<String, byte[]> record = await().atMost(Api.WITHIN).until(() -> records(id), r -> !r.isEmpty())
                .get(0);
        assertEquals("group", header(record, CloudEventHeaders.AUDIENCE));
        assertEquals("district-9", header(record, CloudEventHeaders.GROUP));
        assertNull(header(record, CloudEventHeaders.DEVICE));
        assertEquals("notifications/alerts/air", header(record, CloudEventHeaders.MQTT_TOPIC));
        assertEquals(CloudEventTypes.OUTBOUND_NOTIFICATION, header(record, CloudEventHeaders.TYPE));
        assertEquals(tenant + "/group:district-9", record.key());

        Api.online(dataSource, tenant, "truck-7");
        Api.online(dataSource, tenant, "lamp-1");
        ConsumerRecord<String, byte[]> copy = await().atMost(Api.WITHIN).until(() -> copies(id, "lamp-1"),
                c -> !c.isEmpty()).get(0);
        assertEquals("district-9", header(copy, CloudEventHeaders.GROUP));
        assertEquals(tenant + "/lamp-1", copy.key());

        FakeBridge.receipt(tenant, "lamp-1", id, DeliveryStatus.DELIVERED, MessageKind.NOTIFICATION);
        FakeBridge.receipt(tenant, "lamp-1", id, DeliveryStatus.DELIVERED, MessageKind.NOTIFICATION);
        awaitProgress(id, "delivered", 1);
        Api.online(dataSource, tenant, "lamp-1");
        Api.online(dataSource, tenant, "lamp-2");
        await().atMost(Api.WITHIN).until(() -> copies(id, "lamp-2"), c -> c.size() == 1);
        FakeBridge.receipt(tenant, "lamp-2", id, DeliveryStatus.DELIVERED, MessageKind.NOTIFICATION);
        awaitState(id, "FINISHED");

        assertEquals(1, copies(id, "lamp-1").size(), "lamp-1 got its copy once: it had it before reconnecting");
        assertTrue(copies(id, "truck-7").isEmpty(), "not a member");
        assertEquals(1, records(id).stream().filter(r -> header(r, CloudEventHeaders.DEVICE) == null).count(),
                "one record for the whole group");
        await().atMost(Api.WITHIN).until(() -> eventTypes(id), types -> types.contains("SENT")
                && types.contains("FINISHED"));
        as(tenant, "tenant-viewer").get("/api/v1/tenants/" + tenant + "/devices/lamp-1/notifications").then()
                .statusCode(200).body("items[0].id", equalTo(id), "items[0].deliveredAt", notNullValue());
        as(tenant, "tenant-viewer").get(notifications(tenant) + "/" + id).then()
                .body("progress.addressed", equalTo(2), "progress.delivered", equalTo(2),
                        "progress.pending", equalTo(0));
    }

    @Test
    void aMemberThatCanNeverTakeItCountsAsUndeliverableAndIsNotCaughtUpAgain() {
        // given a group notification, which lamp-1 got and lamp-2 can never take (its Maximum Packet Size is smaller)
        String id = send(Map.of("group", "district-9"), "1h");
        await().atMost(Api.WITHIN).until(() -> records(id), r -> !r.isEmpty());
        FakeBridge.receipt(tenant, "lamp-1", id, DeliveryStatus.DELIVERED, MessageKind.NOTIFICATION);
        FakeBridge.receipt(tenant, "lamp-2", id, DeliveryStatus.UNDELIVERABLE, MessageKind.NOTIFICATION);

        // then it is finished, with one member undeliverable
        awaitState(id, "FINISHED");
        as(tenant, "tenant-viewer").get(notifications(tenant) + "/" + id).then()
                .body("progress.delivered", equalTo(1), "progress.undeliverable", equalTo(1),
                        "progress.pending", equalTo(0), "reason", containsString("can never take it"));
        // and lamp-2's list shows it without a delivery time, and a reconnect of lamp-2 brings no copy
        as(tenant, "tenant-viewer").get("/api/v1/tenants/" + tenant + "/devices/lamp-2/notifications").then()
                .statusCode(200).body("items[0].id", equalTo(id), "items[0].deliveredAt", nullValue());
        String later = send(Map.of("group", "district-9"), "1h");
        Api.online(dataSource, tenant, "lamp-2");
        await().atMost(Api.WITHIN).until(() -> copies(later, "lamp-2"), c -> !c.isEmpty());
        assertTrue(copies(id, "lamp-2").isEmpty(), "no copy of what lamp-2 can never take");
    }

    @Test
    void membershipCountsAtDelivery() {
        Api.online(dataSource, tenant, "truck-7");
        Api.device(devices, tenant, "lamp-3", List.of("district-9"));
        String id = send(Map.of("group", "district-9"), "1h");
        await().atMost(Api.WITHIN).until(() -> records(id), r -> !r.isEmpty());

        Api.device(devices, tenant, "truck-7", List.of("district-9"));
        await("joined while online: a copy at once").atMost(Api.WITHIN).until(() -> copies(id, "truck-7"),
                c -> !c.isEmpty());

        Api.device(devices, tenant, "lamp-3", List.of());
        Api.online(dataSource, tenant, "lamp-3");
        as(tenant, "tenant-viewer").get("/api/v1/tenants/" + tenant + "/devices/lamp-3/notifications").then()
                .statusCode(200).body("items.size()", equalTo(0));
        Api.online(dataSource, tenant, "lamp-2");
        await().atMost(Api.WITHIN).until(() -> copies(id, "lamp-2"), c -> !c.isEmpty());
        assertTrue(copies(id, "lamp-3").isEmpty(), "left the group before it connected");
    }

    @Test
    void aRevokedNotificationIsNeverCaughtUpAndTheBridgesAreTold() {
        String id = send(Map.of("group", "district-9"), "1h");
        operator(tenant).delete(notifications(tenant) + "/" + id).then().statusCode(200)
                .body("state", equalTo("REVOKED"), "progress.revoked", equalTo(2), "progress.pending", equalTo(0));
        ConsumerRecord<String, byte[]> revoked = await().atMost(Api.WITHIN).until(() -> records(id).stream()
                .filter(r -> CloudEventTypes.OUTBOUND_REVOKED.equals(header(r, CloudEventHeaders.TYPE))).toList(),
                r -> !r.isEmpty()).get(0);
        assertEquals(tenant, header(revoked, CloudEventHeaders.TENANT));
        assertTrue(header(revoked, CloudEventHeaders.EXPIRES_AT) != null);

        Api.online(dataSource, tenant, "lamp-1");
        String later = send(Map.of("fleet", true), "1h");
        Api.online(dataSource, tenant, "lamp-1");
        await().atMost(Api.WITHIN).until(() -> copies(later, "lamp-1"), c -> !c.isEmpty());
        assertTrue(copies(id, "lamp-1").isEmpty(), "revoked before lamp-1 connected");
        await().atMost(Api.WITHIN).until(() -> eventTypes(id), types -> types.contains("REVOKED"));
    }

    @Test
    void anExpiredGroupNotificationEndsExpiredAndIsNeverCaughtUp() {
        String id = send(Map.of("group", "district-9"), "1s");
        awaitState(id, "EXPIRED");
        as(tenant, "tenant-viewer").get(notifications(tenant) + "/" + id).then()
                .body("progress.expired", equalTo(2), "progress.pending", equalTo(0));
        await().atMost(Api.WITHIN).until(() -> eventTypes(id), types -> types.contains("EXPIRED"));
        Api.online(dataSource, tenant, "lamp-1");
        String later = send(Map.of("group", "district-9"), "1h");
        Api.online(dataSource, tenant, "lamp-1");
        await().atMost(Api.WITHIN).until(() -> copies(later, "lamp-1"), c -> !c.isEmpty());
        assertTrue(copies(id, "lamp-1").isEmpty(), "expired before lamp-1 connected");
    }

    @Test
    void aDeviceNotificationTravelsThroughItsMailbox() {
        Api.online(dataSource, tenant, "truck-7");
        String id = send(Map.of("device", "truck-7"), "1h");
        ConsumerRecord<String, byte[]> record = await().atMost(Api.WITHIN).until(() -> copies(id, "truck-7"),
                c -> !c.isEmpty()).get(0);
        assertEquals("notifications/alerts/air", header(record, CloudEventHeaders.MQTT_TOPIC));
        FakeBridge.receipt(tenant, "truck-7", id, DeliveryStatus.DELIVERED, MessageKind.NOTIFICATION);
        awaitState(id, "FINISHED");

        String expiring = send(Map.of("device", "lamp-1"), "1s");
        awaitState(expiring, "EXPIRED");
        String revoked = send(Map.of("device", "lamp-2"), "1h");
        operator(tenant).delete(notifications(tenant) + "/" + revoked).then().statusCode(200);
        Api.online(dataSource, tenant, "lamp-2");
        String later = send(Map.of("device", "lamp-2"), "1h");
        await().atMost(Api.WITHIN).until(() -> copies(later, "lamp-2"), c -> !c.isEmpty());
        assertTrue(copies(revoked, "lamp-2").isEmpty(), "revoked while lamp-2 was offline");
        operator(tenant).delete(notifications(tenant) + "/" + expiring).then().statusCode(409);
    }

    @Test
    void aDeletedDevicesPendingNotificationsEndAndItsSuccessorNeverGetsThem() {
        String id = send(Map.of("device", "lamp-1"), "1h");
        RegistryRecords.delete(tenant, "lamp-1");
        awaitState(id, "REVOKED");
        as(tenant, "tenant-viewer").get(notifications(tenant) + "/" + id).then().body("reason", equalTo("device deleted"));
        Api.device(devices, tenant, "lamp-1", List.of());
        Api.online(dataSource, tenant, "lamp-1");
        String later = send(Map.of("device", "lamp-1"), "1h");
        await().atMost(Api.WITHIN).until(() -> copies(later, "lamp-1"), c -> !c.isEmpty());
        assertTrue(copies(id, "lamp-1").isEmpty(), "meant for the deleted device");
        as(tenant, "tenant-viewer").get("/api/v1/tenants/" + tenant + "/devices/lamp-1/notifications").then()
                .statusCode(200).body("items.id", equalTo(List.of(later)));
    }

    @Test
    void aFullDeviceMailboxAnswers429() {
        for (int i = 0; i < 5; i++) {
            send(Map.of("device", "lamp-1"), "1h");
        }
        operator(tenant).body(Map.of("target", Map.of("device", "lamp-1"), "topic", "x"))
                .post(notifications(tenant)).then().statusCode(429).contentType("application/problem+json");
        operator(tenant).body(Map.of("target", Map.of("group", "district-9"), "topic", "x"))
                .post(notifications(tenant)).then().statusCode(202);
    }

    @Test
    void concurrentReceiptsOfManyMembersCountEachMemberOnce() throws Exception {
        int members = 120;
        Api.group(groups, tenant, "fleet-a");
        for (int i = 0; i < members; i++) {
            RegistryRecords.put(tenant, "freezer-" + i, true, "secret", List.of("fleet-a"));
        }
        await().atMost(Api.WITHIN).until(() -> devices.memberCount(tenant, "fleet-a") == members);
        String id = send(Map.of("group", "fleet-a"), "1h");
        ExecutorService bridges = Executors.newFixedThreadPool(8);
        List<Runnable> receipts = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            String device = "freezer-" + i;
            for (int copy = 0; copy < 2; copy++) {
                receipts.add(() -> FakeBridge.receipt(tenant, device, id, DeliveryStatus.DELIVERED,
                        MessageKind.NOTIFICATION));
            }
        }
        receipts.forEach(bridges::execute);
        bridges.shutdown();
        assertTrue(bridges.awaitTermination(60, TimeUnit.SECONDS));
        awaitState(id, "FINISHED");
        awaitProgress(id, "delivered", members);
        await().atMost(Api.WITHIN).until(() -> eventTypes(id), types -> types.contains("FINISHED"));
        assertEquals(1, eventTypes(id).stream().filter("FINISHED"::equals).count());
    }

    private String send(Map<String, Object> target, String ttl) {
        return operator(tenant).body(Map.of("target", target, "topic", "alerts/air", "payload",
                Map.of("level", "high"), "ttl", ttl)).post(notifications(tenant)).then().statusCode(202)
                .extract().path("id");
    }

    private List<ConsumerRecord<String, byte[]>> records(String id) {
        return outbound.withHeader(CloudEventHeaders.ID, id);
    }

    private List<ConsumerRecord<String, byte[]>> copies(String id, String device) {
        return records(id).stream().filter(r -> device.equals(header(r, CloudEventHeaders.DEVICE))).toList();
    }

    private List<String> eventTypes(String id) {
        return events.withHeader(CloudEventHeaders.SUBJECT, id).stream()
                .map(r -> header(r, CloudEventHeaders.ID).substring(id.length() + 1).toUpperCase()).toList();
    }

    private void awaitState(String id, String state) {
        await(id + " " + state).atMost(Api.WITHIN).until(() -> as(tenant, "tenant-viewer")
                .get(notifications(tenant) + "/" + id).then().extract().path("state"), state::equals);
    }

    private void awaitProgress(String id, String field, int value) {
        await(id + " " + field + " " + value).atMost(Api.WITHIN).until(() -> as(tenant, "tenant-viewer")
                .get(notifications(tenant) + "/" + id).then().extract().<Integer>path("progress." + field),
                v -> v == value);
    }
}
