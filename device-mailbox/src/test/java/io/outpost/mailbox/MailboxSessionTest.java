package io.outpost.mailbox;

import static io.outpost.mailbox.Messages.exactly;
import static io.outpost.mailbox.Messages.message;
import static io.outpost.mailbox.Messages.publishedIds;
import static io.outpost.mailbox.Messages.session;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.outpost.contracts.DeviceSessionEvent;
import io.outpost.contracts.SessionEventType;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.outpost.testsupport.RegistryRecords;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Sessions and the mailbox: what goes out at once, what waits for the next session, and a send that races a connect.
 * Session events are applied by calling the mailbox directly, so the test decides which two things race.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class MailboxSessionTest {
    private static final int DEVICES = 25;

    @Inject
    Mailbox mailbox;
    @Inject
    MailboxSessions sessions;
    @Inject
    RecordingReplay replay;

    @Test
    void sendRacingAConnectReachesTheDeviceOnceAndInCreationOrder() throws Exception {
        // given devices that are offline, each with two waiting messages: half were online once, half never
        String tenant = RegistryRecords.newTenant();
        Instant earlier = Clock.now().minusSeconds(60);
        for (int i = 0; i < DEVICES; i++) {
            String device = "racer-" + i;
            if (i % 2 == 0) {
                sessions.sessionStarted(session(tenant, device, SessionEventType.CONNECTED, "s0-" + i, earlier));
                sessions.sessionEnded(session(tenant, device, SessionEventType.DISCONNECTED, "s0-" + i, earlier));
            }
            store(message(tenant, device, "m1"));
            store(message(tenant, device, "m2"));
        }
        // when each device connects while a third message is being sent to it
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> racers = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            String device = "racer-" + i;
            DeviceSessionEvent connected = session(tenant, device, SessionEventType.CONNECTED, "s1-" + i, Clock.now());
            racers.add(CompletableFuture.runAsync(() -> awaitThen(go,
                    () -> sessions.sessionStarted(connected)), threads));
            racers.add(CompletableFuture.runAsync(() -> awaitThen(go,
                    () -> store(message(tenant, device, "m3"))), threads));
        }
        go.countDown();
        CompletableFuture.allOf(racers.toArray(CompletableFuture[]::new)).get();
        threads.shutdown();
        // then every device's messages were published exactly once each, in creation order
        Map<String, List<String>> published = publishedIds(exactly(tenant, 3 * DEVICES));
        Map<String, List<String>> expected = new HashMap<>();
        for (int i = 0; i < DEVICES; i++) {
            String device = "racer-" + i;
            expected.put(tenant + "/" + device, List.of(tenant + "-" + device + "-m1", tenant + "-" + device + "-m2",
                    tenant + "-" + device + "-m3"));
        }
        assertEquals(expected, published);
    }

    @Test
    void messageForAnOnlineDeviceGoesOutAtOnceAndIsNotSentAgainInTheSameSession() {
        // given a device online in session s1
        String tenant = RegistryRecords.newTenant();
        sessions.sessionStarted(session(tenant, "lamp", SessionEventType.CONNECTED, "s1", Clock.now()));
        // when a message is stored and the session then subscribes
        store(message(tenant, "lamp", "now"));
        sessions.sessionStarted(session(tenant, "lamp", SessionEventType.SUBSCRIBED, "s1", Clock.now()));
        // then it went out once
        assertEquals(Map.of(tenant + "/lamp", List.of(tenant + "-lamp-now")), publishedIds(exactly(tenant, 1)));
    }

    @Test
    void deviceNeverSeenGetsItsMessagesFromItsFirstSessionInOrder() {
        // given a device no session of which was ever seen, and two messages for it
        String tenant = RegistryRecords.newTenant();
        store(message(tenant, "new-lamp", "hello"));
        store(message(tenant, "new-lamp", "again"));
        // then nothing goes out until it connects, and then both, in order
        assertEquals(Map.of(), publishedIds(exactly(tenant, 0)));
        sessions.sessionStarted(session(tenant, "new-lamp", SessionEventType.CONNECTED, "s1", Clock.now()));
        assertEquals(Map.of(tenant + "/new-lamp", List.of(tenant + "-new-lamp-hello", tenant + "-new-lamp-again")),
                publishedIds(exactly(tenant, 2)));
    }

    @Test
    void lateEventOfAnOlderSessionNeitherRepublishesNorReplacesTheNewerSession() {
        // given a device in session s2, with a message sent to it there
        String tenant = RegistryRecords.newTenant();
        Instant now = Clock.now();
        sessions.sessionStarted(session(tenant, "lamp", SessionEventType.CONNECTED, "s2", now));
        store(message(tenant, "lamp", "m1"));
        // when a CONNECTED of the older session s1 is handled late, and then s1's DISCONNECTED
        assertEquals(0, sessions.sessionStarted(session(tenant, "lamp", SessionEventType.CONNECTED, "s1",
                now.minusSeconds(5))));
        sessions.sessionEnded(session(tenant, "lamp", SessionEventType.DISCONNECTED, "s1", now.minusSeconds(4)));
        // then the device still counts as online in s2: the next message goes out at once, nothing was sent twice
        store(message(tenant, "lamp", "m2"));
        assertEquals(Map.of(tenant + "/lamp", List.of(tenant + "-lamp-m1", tenant + "-lamp-m2")),
                publishedIds(exactly(tenant, 2)));
        // and the owner's replay ran for s2 only
        assertEquals(List.of("s2"), replay.sessions(tenant));
    }

    @Test
    void messageStoredWhileOfflineWaitsForTheNextSession() {
        // given a device that disconnected
        String tenant = RegistryRecords.newTenant();
        sessions.sessionStarted(session(tenant, "lamp", SessionEventType.CONNECTED, "s1", Clock.now()));
        sessions.sessionEnded(session(tenant, "lamp", SessionEventType.DISCONNECTED, "s1", Clock.now()));
        // when a message is stored, nothing is published
        store(message(tenant, "lamp", "waiting"));
        assertEquals(Map.of(), publishedIds(exactly(tenant, 0)));
        // and when the device comes back, it is
        assertEquals(1, sessions.sessionStarted(session(tenant, "lamp", SessionEventType.CONNECTED, "s2",
                Clock.now())));
        assertEquals(Map.of(tenant + "/lamp", List.of(tenant + "-lamp-waiting")), publishedIds(exactly(tenant, 1)));
    }

    @Test
    void aBatchOfSessionEventsIsAppliedAsEachAloneWouldBeInOrderPerDevice() {
        // given two offline devices never seen, with waiting messages, and a third online in session s2
        String tenant = RegistryRecords.newTenant();
        Instant now = Clock.now();
        store(message(tenant, "a", "a1"));
        store(message(tenant, "a", "a2"));
        store(message(tenant, "b", "b1"));
        sessions.sessionStarted(session(tenant, "c", SessionEventType.CONNECTED, "s2", now));
        store(message(tenant, "c", "c1"));
        // when one lane's batch brings a's session and its SUBSCRIBED, b's session and its end, c's older session late
        List<DeviceSessionEvent> batch = List.of(
                session(tenant, "a", SessionEventType.CONNECTED, "s1", now),
                session(tenant, "b", SessionEventType.CONNECTED, "s1", now),
                session(tenant, "a", SessionEventType.SUBSCRIBED, "s1", now),
                session(tenant, "b", SessionEventType.DISCONNECTED, "s1", now),
                session(tenant, "c", SessionEventType.CONNECTED, "s1", now.minusSeconds(5)));
        QuarkusTransaction.requiringNew().run(() -> {
            mailbox.lockDevices(List.of(tenant + "/a", tenant + "/b", tenant + "/c"));
            sessions.applyLocked(batch);
        });
        // then a's and b's waiting messages went out once each, in order, and c's newer session kept its message
        assertEquals(Map.of(tenant + "/a", List.of(tenant + "-a-a1", tenant + "-a-a2"),
                tenant + "/b", List.of(tenant + "-b-b1"), tenant + "/c", List.of(tenant + "-c-c1")),
                publishedIds(exactly(tenant, 4)));
        assertEquals(List.of("s2", "s1", "s1"), replay.sessions(tenant));
        // and a is online, b offline, c still online in s2: a message to each goes out at once only for a and c
        store(message(tenant, "a", "a3"));
        store(message(tenant, "b", "b2"));
        store(message(tenant, "c", "c2"));
        assertEquals(Map.of(tenant + "/a", List.of(tenant + "-a-a1", tenant + "-a-a2", tenant + "-a-a3"),
                tenant + "/b", List.of(tenant + "-b-b1"), tenant + "/c", List.of(tenant + "-c-c1", tenant + "-c-c2")),
                publishedIds(exactly(tenant, 6)));
    }

    @Test
    void roundsKeepEachDevicesEventsInOrderAndHoldEachDeviceOnce() {
        Instant now = Clock.now();
        DeviceSessionEvent a1 = session("t", "a", SessionEventType.CONNECTED, "s1", now);
        DeviceSessionEvent b1 = session("t", "b", SessionEventType.CONNECTED, "s1", now);
        DeviceSessionEvent a2 = session("t", "a", SessionEventType.DISCONNECTED, "s1", now);
        DeviceSessionEvent a3 = session("t", "a", SessionEventType.CONNECTED, "s2", now);
        DeviceSessionEvent b2 = session("t", "b", SessionEventType.SUBSCRIBED, "s1", now);
        assertEquals(List.of(List.of(a1, b1), List.of(a2, b2), List.of(a3)),
                MailboxSessions.rounds(List.of(a1, b1, a2, a3, b2)));
    }

    private void store(io.outpost.contracts.OutboundMessage message) {
        QuarkusTransaction.requiringNew().run(() -> mailbox.store(message));
    }

    private static void awaitThen(CountDownLatch go, Runnable work) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        work.run();
    }

    /** An owner's replay hook that remembers the sessions it was called for, per tenant. */
    @ApplicationScoped
    static class RecordingReplay implements SessionReplay {
        private final Map<String, List<String>> sessions = new HashMap<>();

        @Override
        public synchronized void sessionStarted(DeviceSessionEvent event) {
            sessions.computeIfAbsent(event.tenant(), t -> new ArrayList<>()).add(event.sessionId());
        }

        synchronized List<String> sessions(String tenant) {
            return List.copyOf(sessions.getOrDefault(tenant, List.of()));
        }
    }
}
