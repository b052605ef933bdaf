package io.outpost.command;

import static io.outpost.command.Api.awaitState;
import static io.outpost.command.Api.command;
import static io.outpost.command.Api.history;
import static io.outpost.command.Api.operator;
import static io.outpost.command.Api.send;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.DeliveryStatus;
import io.outpost.contracts.MessageKind;
import io.outpost.contracts.SessionEventType;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.FakeBridge;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.outpost.testsupport.RegistryRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A device that is offline when its commands are sent: the mailbox keeps them, publishes the live ones in order when
 * the device connects (session events played on Kafka), and never publishes an expired or cancelled one.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class MailboxTest {
    @Inject
    DeviceDirectory directory;

    String tenant;

    @BeforeEach
    void tenantWithAnOfflineDevice() {
        Tap.outbound();
        tenant = Api.newTenant();
        Api.device(directory, tenant, "lamp-1", true);
    }

    @Test
    void offlineDeviceGetsExactlyItsLiveCommandsInOrderWhenItConnects() {
        // given three commands for a device that is offline (no session seen yet), the second with a 2 s ttl
        String first = send(tenant, "lamp-1", Map.of("name", "dim", "ttl", "PT1H"));
        String shortLived = send(tenant, "lamp-1", Map.of("name", "blink", "ttl", "2s"));
        String third = send(tenant, "lamp-1", Map.of("name", "off", "ttl", "PT1H"));
        // nothing goes out while it is offline, and the short-lived one expires meanwhile
        awaitState(tenant, shortLived, "EXPIRED");
        Await.staysAt("publications while offline", 0, Duration.ofMillis(500), () -> published().size());
        // when the device connects
        FakeBridge.session(tenant, "lamp-1", SessionEventType.CONNECTED, "session-1");
        // then exactly the two live ones are published, in creation order
        Await.until("the re-publish", () -> published().size() >= 2);
        Await.staysAt("publications", 2, Duration.ofSeconds(1), () -> published().size());
        assertEquals(List.of(first, third), published());
        // and the short-lived one stays EXPIRED whatever a late receipt and reply say (each sent before the first
        // command's own, on the same partition, so applied before it)
        FakeBridge.receipt(tenant, "lamp-1", shortLived, DeliveryStatus.DELIVERED);
        FakeBridge.reply(tenant, "lamp-1", shortLived, null, "application/json", "{}");
        FakeBridge.receipt(tenant, "lamp-1", first, DeliveryStatus.DELIVERED);
        FakeBridge.reply(tenant, "lamp-1", first, null, "application/json", "{}");
        awaitState(tenant, first, "SUCCEEDED");
        assertEquals(List.of("PENDING", "EXPIRED"), history(tenant, shortLived));
        Api.get(tenant, shortLived).then().body("result", equalTo(null));
    }

    @Test
    void expiredCommandIsNeverPublished() {
        // given a command that expired while the device was away
        String id = send(tenant, "lamp-1", Map.of("name", "blink", "ttl", "1s"));
        Instant expired = Instant.parse(Api.get(tenant, id).then().extract().path("expiresAt"));
        Await.until("the expiry", () -> Instant.now().isAfter(expired));
        // when the device connects, possibly before the sweeper has recorded the expiry
        FakeBridge.session(tenant, "lamp-1", SessionEventType.CONNECTED, "session-1");
        // then nothing is published and the command ends EXPIRED
        awaitState(tenant, id, "EXPIRED");
        Await.staysAt("publications", 0, Duration.ofMillis(500), () -> published().size());
    }

    @Test
    void subscribeInTheSameSessionDoesNotSendAgainButANewSessionDoes() {
        // given a pending command published when the device connected
        String id = send(tenant, "lamp-1", "dim");
        FakeBridge.session(tenant, "lamp-1", SessionEventType.CONNECTED, "session-1");
        Await.until("the re-publish", () -> published().size() == 1);
        // when the device subscribes in that session
        FakeBridge.session(tenant, "lamp-1", SessionEventType.SUBSCRIBED, "session-1");
        // then the node already holds the command: no second copy
        Await.staysAt("publications", 1, Duration.ofMillis(800), () -> published().size());
        // but after a reconnect (say to another node) it is sent again
        FakeBridge.session(tenant, "lamp-1", SessionEventType.DISCONNECTED, "session-1");
        FakeBridge.session(tenant, "lamp-1", SessionEventType.SUBSCRIBED, "session-2");
        Await.until("the second re-publish", () -> published().size() == 2);
        assertEquals(List.of(id, id), published());
    }

    @Test
    void deliveredCommandIsNotRepublished() {
        String delivered = send(tenant, "lamp-1", "dim");
        String pending = send(tenant, "lamp-1", "off");
        FakeBridge.receipt(tenant, "lamp-1", delivered, DeliveryStatus.DELIVERED);
        awaitState(tenant, delivered, "DELIVERED");
        FakeBridge.session(tenant, "lamp-1", SessionEventType.CONNECTED, "session-1");
        Await.until("the re-publish", () -> published().size() >= 1);
        Await.staysAt("publications", 1, Duration.ofMillis(500), () -> published().size());
        assertEquals(List.of(pending), published());
    }

    @Test
    void expiredReceiptFromABridgeWhoseClockRunsAheadDoesNotExpireALiveCommand() {
        // given a command with an hour to live by the command service's clock
        String id = send(tenant, "lamp-1", "dim");
        // when a bridge node reports it EXPIRED, and then (same device, same partition, in order) DELIVERED
        FakeBridge.receipt(tenant, "lamp-1", id, DeliveryStatus.EXPIRED);
        FakeBridge.receipt(tenant, "lamp-1", id, DeliveryStatus.DELIVERED);
        // then the owner's clock decided: the EXPIRED changed nothing, the delivery counts
        awaitState(tenant, id, "DELIVERED");
        assertEquals(List.of("PENDING", "DELIVERED"), history(tenant, id));
    }

    @Test
    void commandTheDeviceCanNeverTakeFailsAtOnceAndIsNotSentAgain() {
        // given a command the bridge could not send: larger than the device's MQTT 5 Maximum Packet Size
        String id = send(tenant, "lamp-1", "dim");
        FakeBridge.receipt(tenant, "lamp-1", id, DeliveryStatus.UNDELIVERABLE);
        // then it fails with the bridge's reason instead of waiting for its expiry
        awaitState(tenant, id, "FAILED");
        assertEquals(List.of("PENDING", "FAILED"), history(tenant, id));
        // and a reconnect sends only what is still pending
        String later = send(tenant, "lamp-1", "later");
        FakeBridge.session(tenant, "lamp-1", SessionEventType.CONNECTED, "session-1");
        Await.until("the re-publish", () -> published().size() >= 1);
        Await.staysAt("publications", 1, Duration.ofMillis(500), () -> published().size());
        assertEquals(List.of(later), published());
    }

    @Test
    void aDeletedDevicesCommandsEndAndItsSuccessorWithTheSameIdStartsEmpty() {
        // given a pending command for lamp-1, published for its incarnation
        Instant predecessor = directory.find(tenant + "/lamp-1").orElseThrow().createdAt();
        String old = send(tenant, "lamp-1", "unlock-old-owner");
        FakeBridge.session(tenant, "lamp-1", SessionEventType.CONNECTED, "session-1");
        Await.until("the command's record", () -> Tap.outbound().ids(tenant, "lamp-1").contains(old));
        assertEquals(predecessor.toString(), Tap.header(Tap.outbound().of(tenant, "lamp-1").get(0),
                CloudEventHeaders.DEVICE_INCARNATION));

        // when lamp-1 is deleted and created again at once
        RegistryRecords.delete(tenant, "lamp-1");
        Api.device(directory, tenant, "lamp-1", true);
        Await.until("a new incarnation", () -> !predecessor.equals(
                directory.find(tenant + "/lamp-1").map(device -> device.createdAt()).orElse(predecessor)));

        // then the old command ends CANCELLED "device deleted" (its event tells), is gone (404), and the new lamp-1
        // has no commands; a new one is published for the new incarnation only
        Await.until("the old command is gone", () -> Api.get(tenant, old).statusCode() == 404);
        Await.until("its CANCELLED event", () -> Tap.events().of(tenant, "lamp-1").stream()
                .anyMatch(event -> new String(event.value()).contains("\"CANCELLED\"")
                        && new String(event.value()).contains("device deleted")));
        operator(tenant).get(Api.commands(tenant, "lamp-1")).then().statusCode(200)
                .body("items.size()", equalTo(0));
        FakeBridge.session(tenant, "lamp-1", SessionEventType.DISCONNECTED, "session-1");
        FakeBridge.session(tenant, "lamp-1", SessionEventType.CONNECTED, "session-new");
        String fresh = send(tenant, "lamp-1", "hello-new-owner");
        Await.until("the new command's record", () -> Tap.outbound().ids(tenant, "lamp-1").contains(fresh));
        ConsumerRecord<String, byte[]> record = Tap.outbound().of(tenant, "lamp-1").stream()
                .filter(r -> fresh.equals(Tap.header(r, "ce_id"))).findFirst().orElseThrow();
        assertEquals(directory.find(tenant + "/lamp-1").orElseThrow().createdAt().toString(),
                Tap.header(record, CloudEventHeaders.DEVICE_INCARNATION));
        assertEquals(1, Tap.outbound().ids(tenant, "lamp-1").stream().filter(old::equals).count(),
                "the old command was never published again");
    }

    @Test
    void receiptsOfOtherKindsAndOtherDevicesChangeNothing() {
        // given a pending command for lamp-1, and lamp-2 with one of its own
        String id = send(tenant, "lamp-1", "dim");
        Api.device(directory, tenant, "lamp-2", true);
        String lamp2 = send(tenant, "lamp-2", "dim");
        // when a notification's receipt carries its id, and lamp-2 claims it, each followed by a real receipt of the
        // same device (same partition, applied after)
        FakeBridge.receipt(tenant, "lamp-1", id, DeliveryStatus.DELIVERED, MessageKind.NOTIFICATION);
        FakeBridge.receipt(tenant, "lamp-2", id, DeliveryStatus.DELIVERED);
        FakeBridge.receipt(tenant, "lamp-2", lamp2, DeliveryStatus.DELIVERED);
        awaitState(tenant, lamp2, "DELIVERED");
        // then lamp-1's command is still pending
        assertEquals("PENDING", Api.state(tenant, id));
    }

    @Test
    void cancelledCommandIsNeverSentAgainAndOnlyPendingOnesCanBeCancelled() {
        // given a pending and a delivered command
        String pending = send(tenant, "lamp-1", "dim");
        String delivered = send(tenant, "lamp-1", "off");
        FakeBridge.receipt(tenant, "lamp-1", delivered, DeliveryStatus.DELIVERED);
        awaitState(tenant, delivered, "DELIVERED");
        // when the operator cancels both
        operator(tenant).delete(command(tenant, pending)).then().statusCode(200).body("state", equalTo("CANCELLED"))
                .body("history[1].reason", equalTo("cancelled by user-of-" + tenant));
        operator(tenant).delete(command(tenant, delivered)).then().statusCode(409)
                .contentType("application/problem+json");
        operator(tenant).delete(command(tenant, pending)).then().statusCode(409);
        // then a connect sends only what is still pending, not the cancelled one
        String later = send(tenant, "lamp-1", "later");
        FakeBridge.session(tenant, "lamp-1", SessionEventType.CONNECTED, "session-1");
        Await.until("the re-publish", () -> published().size() >= 1);
        Await.staysAt("publications", 1, Duration.ofMillis(500), () -> published().size());
        assertEquals(List.of(later), published());
        // and its late receipt changes nothing (applied before the next one of the device)
        FakeBridge.receipt(tenant, "lamp-1", pending, DeliveryStatus.DELIVERED);
        FakeBridge.receipt(tenant, "lamp-1", later, DeliveryStatus.DELIVERED);
        awaitState(tenant, later, "DELIVERED");
        assertEquals(List.of("PENDING", "CANCELLED"), history(tenant, pending));
    }

    private List<String> published() {
        return Tap.outbound().ids(tenant, "lamp-1");
    }
}
