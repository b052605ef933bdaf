package io.outpost.command;

import static io.outpost.command.Api.awaitState;
import static io.outpost.command.Api.command;
import static io.outpost.command.Api.history;
import static io.outpost.command.Api.operator;
import static io.outpost.command.Api.send;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.outpost.contracts.DeliveryStatus;
import io.outpost.contracts.MessageKind;
import io.outpost.contracts.SessionEventType;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.FakeBridge;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A device that is offline when its commands are sent: the mailbox keeps them, re-publishes the live ones in order
 * when the device connects (session events played on Kafka), and never publishes an expired or cancelled one again.
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
        // given three commands for an offline device, the second with a 2 s ttl
        String first = send(tenant, "lamp-1", Map.of("name", "dim", "ttl", "PT1H"));
        String shortLived = send(tenant, "lamp-1", Map.of("name", "blink", "ttl", "2s"));
        String third = send(tenant, "lamp-1", Map.of("name", "off", "ttl", "PT1H"));
        Await.until("the first publications", () -> Tap.outbound().ids(tenant, "lamp-1").size() == 3);
        // when the device connects after the ttl has passed
        awaitState(tenant, shortLived, "EXPIRED");
        FakeBridge.session(tenant, "lamp-1", SessionEventType.CONNECTED, "session-1");
        // then exactly the two live ones are published again, in creation order
        Await.until("the re-publish", () -> Tap.outbound().ids(tenant, "lamp-1").size() >= 5);
        Await.pause(1000);
        List<String> ids = Tap.outbound().ids(tenant, "lamp-1");
        assertEquals(List.of(first, third), ids.subList(3, ids.size()));
        // and the short-lived one is EXPIRED and stays so, whatever a late receipt says
        assertEquals(List.of("PENDING", "EXPIRED"), history(tenant, shortLived));
        FakeBridge.receipt(tenant, "lamp-1", shortLived, DeliveryStatus.DELIVERED);
        FakeBridge.reply(tenant, "lamp-1", shortLived, null, "application/json", "{}");
        Await.pause(500);
        assertEquals(List.of("PENDING", "EXPIRED"), history(tenant, shortLived));
        Api.get(tenant, shortLived).then().body("result", equalTo(null));
    }

    @Test
    void expiredCommandIsNeverRepublished() {
        // given a command that expired while the device was away
        String id = send(tenant, "lamp-1", Map.of("name", "blink", "ttl", "1s"));
        Await.until("the first publication", () -> Tap.outbound().ids(tenant, "lamp-1").size() == 1);
        Await.pause(1100);
        // when the device connects, possibly before the sweeper has recorded the expiry
        FakeBridge.session(tenant, "lamp-1", SessionEventType.CONNECTED, "session-1");
        // then nothing is published again and the command ends EXPIRED
        awaitState(tenant, id, "EXPIRED");
        Await.pause(500);
        assertEquals(List.of(id), Tap.outbound().ids(tenant, "lamp-1"));
    }

    @Test
    void subscribeInTheSameSessionDoesNotSendAgainButANewSessionDoes() {
        // given a pending command re-published when the device connected
        String id = send(tenant, "lamp-1", "dim");
        FakeBridge.session(tenant, "lamp-1", SessionEventType.CONNECTED, "session-1");
        Await.until("the re-publish", () -> Tap.outbound().ids(tenant, "lamp-1").size() == 2);
        // when the device subscribes in that session
        FakeBridge.session(tenant, "lamp-1", SessionEventType.SUBSCRIBED, "session-1");
        // then the node already holds the command: no third copy
        Await.pause(800);
        assertEquals(2, Tap.outbound().ids(tenant, "lamp-1").size());
        // but after a reconnect (say to another node) it is sent again, and a disconnect changes nothing
        FakeBridge.session(tenant, "lamp-1", SessionEventType.DISCONNECTED, "session-1");
        FakeBridge.session(tenant, "lamp-1", SessionEventType.SUBSCRIBED, "session-2");
        Await.until("the second re-publish", () -> Tap.outbound().ids(tenant, "lamp-1").size() == 3);
        assertEquals(List.of(id, id, id), Tap.outbound().ids(tenant, "lamp-1"));
    }

    @Test
    void deliveredCommandIsNotRepublished() {
        String delivered = send(tenant, "lamp-1", "dim");
        String pending = send(tenant, "lamp-1", "off");
        FakeBridge.receipt(tenant, "lamp-1", delivered, DeliveryStatus.DELIVERED);
        awaitState(tenant, delivered, "DELIVERED");
        FakeBridge.session(tenant, "lamp-1", SessionEventType.CONNECTED, "session-1");
        Await.until("the re-publish", () -> Tap.outbound().ids(tenant, "lamp-1").size() >= 3);
        Await.pause(500);
        assertEquals(List.of(delivered, pending, pending), Tap.outbound().ids(tenant, "lamp-1"));
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
    void receiptsOfOtherKindsAndOtherDevicesChangeNothing() {
        String id = send(tenant, "lamp-1", "dim");
        Api.device(directory, tenant, "lamp-2", true);
        FakeBridge.receipt(tenant, "lamp-1", id, DeliveryStatus.DELIVERED, MessageKind.NOTIFICATION);
        FakeBridge.receipt(tenant, "lamp-2", id, DeliveryStatus.DELIVERED);
        Await.pause(800);
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
        // then a reconnect does not send the cancelled one, and its late receipt changes nothing
        FakeBridge.session(tenant, "lamp-1", SessionEventType.CONNECTED, "session-1");
        FakeBridge.receipt(tenant, "lamp-1", pending, DeliveryStatus.DELIVERED);
        Await.pause(1000);
        assertFalse(Tap.outbound().ids(tenant, "lamp-1").subList(2, Tap.outbound().ids(tenant, "lamp-1").size())
                .contains(pending));
        assertEquals(List.of("PENDING", "CANCELLED"), history(tenant, pending));
    }
}
