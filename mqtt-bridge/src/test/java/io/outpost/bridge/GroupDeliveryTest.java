package io.outpost.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;

import io.outpost.bridge.mqtt.MqttGateway;
import io.outpost.contracts.DeliveryReceipt;
import io.outpost.contracts.DeliveryStatus;
import io.outpost.contracts.MessageKind;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Group and fleet notifications are one record; the node copies them to its own sessions of the members, judged by
 * its registry view at delivery time. Revocations drop waiting copies and make the node ignore later ones.
 * <p>
 * "Did not get it" is checked without waiting for silence: each test then sends the device a message of its own
 * through the same partition ({@link AudienceOwner}), so a copy the device got would arrive before that one.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class GroupDeliveryTest {
    private static final Duration TTL = Duration.ofMinutes(10);
    private static final String NOTIFICATIONS = "notifications/air";

    @Inject
    MqttGateway gateway;
    @Inject
    DeviceDirectory directory;
    @Inject
    ObjectMapper json;

    private AudienceOwner owner;
    private final List<Device> devices = new ArrayList<>();

    @BeforeEach
    void owner() {
        owner = new AudienceOwner();
        devices.clear();
    }

    @AfterEach
    void disconnect() {
        devices.forEach(Device::close);
        owner.close();
    }

    @Test
    void groupMessageReachesTheTenantsOnlineMembersOnlyWithMqtt5PropertiesAndAReceiptEach() throws Exception {
        // given two members online (MQTT 5 and 3.1.1), one offline, a device of another group and a device of another
        // tenant in a group of the same name
        String tenant = TestDevices.newTenant();
        String other = TestDevices.newTenant();
        GroupRegistry.put(directory, tenant, List.of("m5", "m3", "asleep"), List.of("north", "city"));
        GroupRegistry.put(directory, tenant, "outsider", "south");
        GroupRegistry.put(directory, other, "stranger", "city");
        Device m5 = subscribedV5(tenant, "m5", "notifications/#");
        Device m3 = subscribedV3(tenant, "m3");
        Device outsider = subscribedV5(tenant, "outsider", "notifications/#");
        Device stranger = subscribedV5(other, "stranger", "notifications/#");

        // when the owner sends one record for the group
        String id = owner.toGroup(tenant, "city", NOTIFICATIONS, "smog", TTL);

        // then each online member gets it as a device message
        Mqtt5Publish v5 = m5.next5();
        assertEquals("devices/m5/notifications/air", v5.getTopic().toString());
        assertEquals("smog", payload(v5.getPayloadAsBytes()));
        assertEquals(MqttQos.AT_LEAST_ONCE, v5.getQos());
        long expiry = v5.getMessageExpiryInterval().orElseThrow();
        assertTrue(expiry > 590 && expiry <= 600, "expiry " + expiry);
        assertEquals("text/plain", v5.getContentType().orElseThrow().toString());
        assertEquals(id, StandardCharsets.UTF_8.decode(v5.getCorrelationData().orElseThrow()).toString());
        assertEquals(List.of(id), v5.getUserProperties().asList().stream()
                .filter(p -> p.getName().toString().equals("outpost-message-id"))
                .map(Mqtt5UserProperty::getValue).map(Object::toString).toList());
        Mqtt3Publish v3 = m3.next3();
        assertEquals("devices/m3/notifications/air", v3.getTopic().toString());
        assertEquals(MqttQos.AT_LEAST_ONCE, v3.getQos());
        assertEquals("smog", payload(v3.getPayloadAsBytes()));

        // and the owner gets one DELIVERED receipt per member that got it, naming that member
        List<DeliveryReceipt> receipts = Receipts.all(json, tenant, id, 2, Duration.ofSeconds(20));
        assertEquals(Set.of("m5", "m3"), receipts.stream().map(DeliveryReceipt::device).collect(Collectors.toSet()));
        for (DeliveryReceipt receipt : receipts) {
            assertEquals(DeliveryStatus.DELIVERED, receipt.status());
            assertEquals(tenant, receipt.tenant());
            assertEquals(MessageKind.NOTIFICATION, receipt.kind());
        }

        // and neither the device outside the group nor the other tenant's device got it
        assertNextIsOwn(outsider, tenant);
        assertNextIsOwn(stranger, other);
        assertEquals(2, Receipts.all(json, tenant, id, 3, Duration.ofSeconds(2)).size());
    }

    @Test
    void fleetMessageReachesEveryDeviceOfTheTenantAndNoOtherTenant() throws Exception {
        String tenant = TestDevices.newTenant();
        String other = TestDevices.newTenant();
        GroupRegistry.put(directory, tenant, "grouped", "north");
        GroupRegistry.put(directory, tenant, List.of("loose"), List.of());
        GroupRegistry.put(directory, other, List.of("stranger"), List.of());
        Device grouped = subscribedV5(tenant, "grouped", "notifications/#");
        Device loose = subscribedV5(tenant, "loose", "notifications/#");
        Device stranger = subscribedV5(other, "stranger", "notifications/#");

        String id = owner.toFleet(tenant, NOTIFICATIONS, "recall", TTL);

        assertEquals("recall", payload(grouped.next5().getPayloadAsBytes()));
        Mqtt5Publish received = loose.next5();
        assertEquals("devices/loose/notifications/air", received.getTopic().toString());
        assertEquals(id, StandardCharsets.UTF_8.decode(received.getCorrelationData().orElseThrow()).toString());
        assertEquals(Set.of("grouped", "loose"), Receipts.all(json, tenant, id, 2, Duration.ofSeconds(20)).stream()
                .map(DeliveryReceipt::device).collect(Collectors.toSet()));
        assertNextIsOwn(stranger, other);
    }

    @Test
    void membersOwnCopyNamingItsGroupReachesTheDeviceOnlyWhileItIsAMember() throws Exception {
        String tenant = TestDevices.newTenant();
        GroupRegistry.put(directory, tenant, "inside", "city");
        GroupRegistry.put(directory, tenant, "left", "south");
        Device inside = subscribedV5(tenant, "inside", "notifications/#");
        Device left = subscribedV5(tenant, "left", "notifications/#");
        String id = UUID.randomUUID().toString();
        Instant expiresAt = Instant.now().plus(TTL);

        owner.copyFor(tenant, id, "inside", "city", NOTIFICATIONS, "smog", expiresAt);
        owner.copyFor(tenant, id, "left", "city", NOTIFICATIONS, "smog", expiresAt);

        Mqtt5Publish received = inside.next5();
        assertEquals("smog", payload(received.getPayloadAsBytes()));
        assertEquals(id, StandardCharsets.UTF_8.decode(received.getCorrelationData().orElseThrow()).toString());
        assertNextIsOwn(left, tenant);
        assertEquals(List.of("inside"), Receipts.all(json, tenant, id, 2, Duration.ofSeconds(2)).stream()
                .map(DeliveryReceipt::device).toList());
    }

    @Test
    void memberRemovedFromTheGroupWhileTheMessageWaitsForItsSubscriptionDoesNotGetIt() throws Exception {
        // given two members subscribed to commands only, so a notification waits in their sessions
        String tenant = TestDevices.newTenant();
        GroupRegistry.put(directory, tenant, List.of("leaver", "stayer"), List.of("city"));
        Device leaver = subscribedV5(tenant, "leaver", "commands/#");
        Device stayer = subscribedV5(tenant, "stayer", "commands/#");
        String id = owner.toGroup(tenant, "city", NOTIFICATIONS, "smog", TTL);
        probe(tenant, leaver, stayer);

        // when one leaves the group before either subscribes to notifications
        GroupRegistry.put(directory, tenant, List.of("leaver"), List.of("south"));
        leaver.subscribe("notifications/#");
        stayer.subscribe("notifications/#");

        // then only the one still in the group gets it
        assertEquals("smog", payload(stayer.next5().getPayloadAsBytes()));
        assertNextIsOwn(leaver, tenant);
        assertEquals(List.of("stayer"), Receipts.all(json, tenant, id, 1, Duration.ofSeconds(20)).stream()
                .map(DeliveryReceipt::device).toList());
    }

    @Test
    void revocationDropsWaitingCopiesAndLaterCopiesAreIgnored() throws Exception {
        // given a group message waiting in two members' sessions
        String tenant = TestDevices.newTenant();
        GroupRegistry.put(directory, tenant, List.of("r1", "r2", "late"), List.of("city"));
        Device r1 = subscribedV5(tenant, "r1", "commands/#");
        Device r2 = subscribedV5(tenant, "r2", "commands/#");
        Instant expiresAt = Instant.now().plus(TTL);
        String id = owner.toGroup(tenant, "city", NOTIFICATIONS, "smog", TTL);
        probe(tenant, r1, r2);

        // when the owner revokes it, and the members then subscribe
        owner.revoke(tenant, id, expiresAt);
        probe(tenant, r1, r2);
        r1.subscribe("notifications/#");
        r2.subscribe("notifications/#");

        // then neither gets it
        assertNextIsOwn(r1, tenant);
        assertNextIsOwn(r2, tenant);

        // and later copies, for a device or the group, reach nobody, also a member that connects only now
        Device late = subscribedV5(tenant, "late", "notifications/#");
        owner.toDevice(tenant, id, "r1", NOTIFICATIONS, "smog", expiresAt);
        owner.toDevice(tenant, id, "late", NOTIFICATIONS, "smog", expiresAt);
        owner.toGroup(tenant, id, "city", NOTIFICATIONS, "smog", expiresAt);
        assertNextIsOwn(r1, tenant);
        assertNextIsOwn(r2, tenant);
        assertNextIsOwn(late, tenant);
        assertEquals(List.of(), Receipts.all(json, tenant, id, 1, Duration.ofSeconds(2)));
    }

    @Test
    void groupMessageThatExpiresWhileWaitingIsNeverDeliveredAndEachMemberReportsExpired() throws Exception {
        String tenant = TestDevices.newTenant();
        GroupRegistry.put(directory, tenant, List.of("e5", "e3"), List.of("city"));
        Device e5 = subscribedV5(tenant, "e5", "commands/#");
        Device e3 = v3(tenant, "e3");
        e3.subscribe("commands/#");
        Instant expiresAt = Instant.now().plusSeconds(1);
        String id = owner.toGroup(tenant, "city", NOTIFICATIONS, "stale", Duration.between(Instant.now(), expiresAt));
        probe(tenant, e5, e3);

        // The local deadline follows the owner's expiry by the time the record took to reach the node: allow a second.
        TestDevices.await(() -> Instant.now().isAfter(expiresAt.plusSeconds(1)));
        e5.subscribe("notifications/#");
        e3.subscribe("notifications/#");

        assertNextIsOwn(e5, tenant);
        assertNextIsOwn(e3, tenant);
        List<DeliveryReceipt> receipts = Receipts.all(json, tenant, id, 2, Duration.ofSeconds(20));
        assertEquals(Set.of("e5", "e3"), receipts.stream().map(DeliveryReceipt::device).collect(Collectors.toSet()));
        receipts.forEach(receipt -> assertEquals(DeliveryStatus.EXPIRED, receipt.status()));
    }

    /** Sends each device a command and waits for it: everything sent before has reached their sessions. */
    private void probe(String tenant, Device... targets) throws Exception {
        for (Device target : targets) {
            owner.toDevice(tenant, target.name, "commands/request/p/probe", "probe", TTL);
        }
        for (Device target : targets) {
            assertEquals("probe", target.nextPayload());
        }
    }

    /** The device's next message is one sent to it alone now: nothing sent to it before reached it. */
    private void assertNextIsOwn(Device device, String tenant) throws Exception {
        owner.toDevice(tenant, device.name, "notifications/own", "own", TTL);
        assertEquals("own", device.nextPayload());
    }

    private Device subscribedV5(String tenant, String name, String filter) {
        Device device = new Device(name, Clients.connectedV5(gateway.port(), tenant, name), null);
        devices.add(device);
        device.subscribe(filter);
        return device;
    }

    private Device subscribedV3(String tenant, String name) {
        Device device = v3(tenant, name);
        device.subscribe("notifications/#");
        return device;
    }

    private Device v3(String tenant, String name) {
        Device device = new Device(name, null, Clients.connectedV3(gateway.port(), tenant, name));
        devices.add(device);
        return device;
    }

    private static String payload(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** One connected test device, MQTT 5 or 3.1.1, with its inbox. */
    private static final class Device {
        final String name;
        final Mqtt5BlockingClient v5;
        final Mqtt3BlockingClient v3;
        final Mqtt5BlockingClient.Mqtt5Publishes inbox5;
        final Mqtt3BlockingClient.Mqtt3Publishes inbox3;

        Device(String name, Mqtt5BlockingClient v5, Mqtt3BlockingClient v3) {
            this.name = name;
            this.v5 = v5;
            this.v3 = v3;
            this.inbox5 = v5 == null ? null : v5.publishes(MqttGlobalPublishFilter.ALL);
            this.inbox3 = v3 == null ? null : v3.publishes(MqttGlobalPublishFilter.ALL);
        }

        void subscribe(String filter) {
            String full = "devices/" + name + "/" + filter;
            if (v5 != null) {
                v5.subscribeWith().topicFilter(full).qos(MqttQos.AT_LEAST_ONCE).send();
            } else {
                v3.subscribeWith().topicFilter(full).qos(MqttQos.AT_LEAST_ONCE).send();
            }
        }

        Mqtt5Publish next5() throws InterruptedException {
            return inbox5.receive(10, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError(name + " got nothing"));
        }

        Mqtt3Publish next3() throws InterruptedException {
            return inbox3.receive(10, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError(name + " got nothing"));
        }

        String nextPayload() throws InterruptedException {
            return payload(v5 != null ? next5().getPayloadAsBytes() : next3().getPayloadAsBytes());
        }

        void close() {
            if (v5 != null) {
                inbox5.close();
                v5.disconnect();
            } else {
                inbox3.close();
                v3.disconnect();
            }
        }
    }
}
