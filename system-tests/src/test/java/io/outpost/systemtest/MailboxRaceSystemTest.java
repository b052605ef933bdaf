package io.outpost.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.outpost.contracts.SessionEventType;
import io.outpost.systemtest.CommandApi.Answer;
import io.outpost.systemtest.CommandDevice.Behaviour;
import io.outpost.testsupport.RegistryRecords;

/**
 * Sends that race a device's connect (ARCHITECTURE.md, mailbox rule 5), with the command service and two bridge
 * nodes as real processes: every command reaches the device once per session and in creation order, none is lost when
 * the device changes node in the middle of a burst.
 * <p>
 * What the assertions catch: an owner that publishes a command at once while the device's re-publish is still on its
 * way delivers that command first and the older ones after it (M4, M1, M2, M3), and one that re-publishes on both
 * CONNECTED and SUBSCRIBED sends a command twice in a session unless the bridge drops the repeat.
 */
class MailboxRaceSystemTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    /** How long "nothing more arrives" is watched for. */
    private static final Duration QUIET = Duration.ofMillis(500);
    private static final int ROUNDS = 20;
    private static final int PENDING = 3;
    private static final int SENDERS = 3;
    /** Commands each sender still POSTs once the device got its first one, so the sends straddle the connect. */
    private static final int AFTER_FIRST_ARRIVAL = 2;
    /** A bound in case the device never gets anything. */
    private static final int MOST_PER_SENDER = 40;
    private static final int BURST = 60;

    private static BridgeNode node1;
    private static BridgeNode node2;
    private static CommandServiceNode commands;
    private static ExecutorService threads;

    @BeforeAll
    static void start() {
        node1 = BridgeNode.start("race-node-1");
        node2 = BridgeNode.start("race-node-2");
        commands = CommandServiceNode.start("command-service-race", Databases.create("commands_race"));
        threads = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        threads.shutdownNow();
        commands.close();
        node1.close();
        node2.close();
    }

    @Test
    void commandsSentWhileAnOfflineDeviceConnectsArriveOnceEachInCreationOrder() throws Exception {
        // given: devices that were online until the command service had learnt of their sessions, and are offline now
        String tenant = RegistryRecords.newTenant();
        List<String> devices = register(tenant, "lamp");
        List<CommandDevice> online = new ArrayList<>();
        for (String device : devices) {
            online.add(CommandDevice.connect(node1.mqttPort(), tenant, device, Behaviour.ACKNOWLEDGE));
        }
        DeviceSessions.awaitPublished(tenant, SessionEventType.SUBSCRIBED, ROUNDS, PATIENCE);
        DeviceSessions.awaitHandled(CommandServiceNode.SESSIONS_GROUP, PATIENCE);
        online.forEach(CommandDevice::close);
        DeviceSessions.awaitPublished(tenant, SessionEventType.DISCONNECTED, ROUNDS, PATIENCE);
        DeviceSessions.awaitHandled(CommandServiceNode.SESSIONS_GROUP, PATIENCE);

        // when, then: see raceConnects
        int raced = raceConnects(tenant, devices);
        TwoBridgeNodesTest.report(String.format("mailbox race: %d connects, %d commands POSTed by %d threads while"
                + " the device connected, each delivered once and in creation order%n", ROUNDS, raced, SENDERS));
    }

    /**
     * A session that ends right after it began: its DISCONNECTED must not be applied before its own CONNECTED or
     * SUBSCRIBED (they would mark the dead session online again, and the next send, published at once, would overtake
     * the re-publish of the older commands when the device reconnects). The mailbox applies one device's events in
     * order.
     */
    @Test
    void deviceThatDroppedRightAfterConnectingGetsWhatIsSentWhileItReconnectsInCreationOrder() throws Exception {
        // given: devices that connected and dropped at once, and the command service has handled those sessions
        String tenant = RegistryRecords.newTenant();
        List<String> devices = register(tenant, "flaky");
        for (String device : devices) {
            CommandDevice.connect(node1.mqttPort(), tenant, device, Behaviour.ACKNOWLEDGE).close();
        }
        DeviceSessions.awaitPublished(tenant, SessionEventType.DISCONNECTED, ROUNDS, PATIENCE);
        DeviceSessions.awaitHandled(CommandServiceNode.SESSIONS_GROUP, PATIENCE);

        // when, then: see raceConnects
        raceConnects(tenant, devices);
    }

    /**
     * A device the mailbox has never seen a session of counts as offline: a send racing its first connect waits for
     * that session's re-publish instead of overtaking what was stored earlier.
     */
    @Test
    void newDeviceGetsWhatIsSentWhileItFirstConnectsInCreationOrder() throws Exception {
        // given: devices that never connected
        String tenant = RegistryRecords.newTenant();
        List<String> devices = register(tenant, "fresh");

        // when, then: see raceConnects
        raceConnects(tenant, devices);
    }

    @Test
    void deviceThatMovesToTheOtherNodeMidBurstGetsEveryCommand() throws Exception {
        // given: a device online on node 1, which the command service has learnt
        String tenant = RegistryRecords.newTenant();
        Devices.register(tenant, "ferry");
        CommandApi api = commands.api(tenant);
        CommandDevice onNode1 = CommandDevice.connect(node1.mqttPort(), tenant, "ferry", Behaviour.ACKNOWLEDGE);
        DeviceSessions.awaitPublished(tenant, SessionEventType.SUBSCRIBED, 1, PATIENCE);
        DeviceSessions.awaitHandled(CommandServiceNode.SESSIONS_GROUP, PATIENCE);

        // when: commands are POSTed one after another; after a third of them the device leaves node 1 and connects
        // to node 2 while the rest follow
        CountDownLatch aThird = new CountDownLatch(BURST / 3);
        Future<List<String>> burst = threads.submit(() -> {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                ids.add(accepted(api.send("ferry", "{\"name\":\"burst-" + i + "\"}", "")).id());
                aThird.countDown();
            }
            return ids;
        });
        assertTrue(aThird.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "a third of the burst accepted");
        onNode1.close();
        try (CommandDevice onNode2 = CommandDevice.connect(node2.mqttPort(), tenant, "ferry", Behaviour.ACKNOWLEDGE)) {
            List<String> sent = burst.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

            // then: none is lost: every command reaches the device and is DELIVERED; neither session got one twice
            for (String id : sent) {
                assertEquals("DELIVERED", api.awaitState(id, "DELIVERED", PATIENCE).state(), "command " + id);
            }
            List<String> first = onNode1.received();
            List<String> second = onNode2.received();
            assertEquals(new HashSet<>(first).size(), first.size(), "an id came twice in the session on node 1");
            assertEquals(new HashSet<>(second).size(), second.size(), "an id came twice in the session on node 2");
            LinkedHashSet<String> arrived = new LinkedHashSet<>(first);
            arrived.addAll(second);
            assertEquals(new HashSet<>(sent), arrived, () -> "node 1 got " + first + ", node 2 got " + second);
            TwoBridgeNodesTest.report(String.format("moved mid-burst: %d commands, %d reached node 1, %d node 2, %d"
                    + " both; first arrivals in creation order: %s%n", sent.size(), first.size(), second.size(),
                    first.stream().filter(second::contains).count(), sent.equals(List.copyOf(arrived))));
        }
    }

    /**
     * One round per device, which must be offline with no pending command: three commands wait in its mailbox, then
     * it connects while several threads POST more, from before its CONNECT until after its first command arrived;
     * every command must arrive once, in creation order, and be DELIVERED, and nothing more may come.
     *
     * @return how many commands were POSTed while the devices connected
     */
    private static int raceConnects(String tenant, List<String> devices) throws Exception {
        CommandApi api = commands.api(tenant);
        int raced = 0;
        for (int round = 0; round < devices.size(); round++) {
            String device = devices.get(round);
            BridgeNode node = round % 2 == 0 ? node2 : node1;
            String what = device + " on " + node.id();
            // given: three commands wait in the device's mailbox
            List<Answer> sent = new CopyOnWriteArrayList<>();
            for (int i = 0; i < PENDING; i++) {
                sent.add(accepted(api.send(device, "{\"name\":\"pending-" + i + "\"}", "")));
            }

            // when: the device connects while several threads POST more
            AtomicReference<CommandDevice> session = new AtomicReference<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                String name = "sender-" + s;
                senders.add(threads.submit(() -> {
                    go.await();
                    sendUntilArrived(api, device, name, session, sent);
                    return null;
                }));
            }
            go.countDown();
            session.set(CommandDevice.connect(node.mqttPort(), tenant, device, Behaviour.ACKNOWLEDGE));
            for (Future<?> sender : senders) {
                sender.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }

            // then: every command arrives once, in creation order, is DELIVERED, and nothing more comes
            try (CommandDevice connected = session.get()) {
                connected.awaitReceived(sent.size(), PATIENCE);
                for (Answer command : sent) {
                    assertEquals("DELIVERED", api.awaitState(command.id(), "DELIVERED", PATIENCE).state(),
                            what + ", command " + command.id());
                }
                assertTrue(connected.receivesNoMoreThan(sent.size(), QUIET),
                        () -> what + ": more than the " + sent.size() + " commands arrived: " + connected.received());
                assertOnceEachInCreationOrder(sent, connected.received(), what);
            }
            raced += sent.size() - PENDING;
        }
        return raced;
    }

    private static List<String> register(String tenant, String prefix) {
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            devices.add(prefix + "-" + i);
            Devices.register(tenant, devices.get(i));
        }
        return devices;
    }

    /** POSTs commands one after another until the device has received one and this sender sent a few more. */
    private static void sendUntilArrived(CommandApi api, String device, String sender,
            AtomicReference<CommandDevice> session, List<Answer> sent) throws Exception {
        int after = 0;
        for (int i = 0; i < MOST_PER_SENDER && after < AFTER_FIRST_ARRIVAL; i++) {
            sent.add(accepted(api.send(device, "{\"name\":\"" + sender + "-" + i + "\"}", "")));
            CommandDevice connected = session.get();
            if (connected != null && !connected.received().isEmpty()) {
                after++;
            }
        }
    }

    /**
     * At most once in the session, none missing, and the arrival order never goes back in creation time. Commands
     * POSTed by several threads at once are ordered by their {@code createdAt}; equal ones may come either way.
     */
    private static void assertOnceEachInCreationOrder(List<Answer> sent, List<String> received, String what) {
        Map<String, Instant> createdAt = sent.stream().collect(Collectors.toMap(Answer::id, Answer::createdAt));
        List<String> described = received.stream().map(id -> id + "@" + createdAt.get(id)).toList();
        assertEquals(received.size(), new HashSet<>(received).size(), what + ": an id came twice in one session: "
                + described);
        assertEquals(createdAt.keySet(), new HashSet<>(received), what + ": not every command arrived: " + described);
        for (int i = 1; i < received.size(); i++) {
            assertTrue(!createdAt.get(received.get(i)).isBefore(createdAt.get(received.get(i - 1))),
                    what + ": arrival " + i + " is older than the one before it: " + described);
        }
    }

    private static Answer accepted(Answer answer) {
        assertEquals(202, answer.status(), answer.body().toString());
        return answer;
    }
}
