package io.outpost.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.outpost.systemtest.CommandApi.Answer;
import io.outpost.systemtest.CommandDevice.Behaviour;
import io.outpost.testsupport.RegistryRecords;

/**
 * Commands end to end: the command service and two bridge nodes as real processes, on real Kafka and PostgreSQL,
 * with a real MQTT client as the device.
 */
class CommandSystemTest {
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static BridgeNode node1;
    private static BridgeNode node2;
    private static CommandServiceNode commands;

    @BeforeAll
    static void start() {
        node1 = BridgeNode.start("command-node-1");
        node2 = BridgeNode.start("command-node-2");
        commands = CommandServiceNode.start("command-service", Databases.create("commands"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (commands != null) {
            commands.close();
        }
        if (node1 != null) {
            node1.close();
        }
        if (node2 != null) {
            node2.close();
        }
    }

    @Test
    void onlineDeviceAnswersAndWaitReturnsTheResult() throws Exception {
        String tenant = RegistryRecords.newTenant();
        Devices.register(tenant, "truck");
        CommandApi api = commands.api(tenant);
        try (CommandDevice device = CommandDevice.connect(node1.mqttPort(), tenant, "truck", Behaviour.REPLY)) {
            Answer answer = api.send("truck", "{\"name\":\"unlock\",\"payload\":{\"doors\":\"all\"}}", "?wait=5s");

            assertEquals(200, answer.status(), answer.body().toString());
            assertEquals("SUCCEEDED", answer.state());
            assertEquals("unlock", answer.body().path("result").path("payload").path("done").asText());
            assertEquals("succeeded", answer.body().path("result").path("status").asText());
            assertEquals(List.of(answer.id()), device.received());
        }
    }

    @Test
    void offlineDeviceGetsOnlyTheLiveCommandsInOrderWhenItConnects() throws Exception {
        String tenant = RegistryRecords.newTenant();
        Devices.register(tenant, "van");
        CommandApi api = commands.api(tenant);
        String first = accepted(api.send("van", "{\"name\":\"first\"}", ""));
        String stale = accepted(api.send("van", "{\"name\":\"stale\",\"ttl\":\"2s\"}", ""));
        String second = accepted(api.send("van", "{\"name\":\"second\"}", ""));
        Thread.sleep(5000);

        try (CommandDevice device = CommandDevice.connect(node2.mqttPort(), tenant, "van", Behaviour.ACKNOWLEDGE)) {
            device.awaitReceived(2, PATIENCE);
            assertEquals("DELIVERED", api.awaitState(second, "DELIVERED", PATIENCE).state());
            Thread.sleep(1000);

            assertEquals(List.of(first, second), device.received());
            assertEquals("DELIVERED", api.get(first).state());
            assertEquals("EXPIRED", api.get(stale).state());
        }
    }

    @Test
    void deviceThatMovesToTheOtherNodeGetsWhatWasQueuedMeanwhile() throws Exception {
        String tenant = RegistryRecords.newTenant();
        Devices.register(tenant, "bus");
        CommandApi api = commands.api(tenant);
        try (CommandDevice onNode1 = CommandDevice.connect(node1.mqttPort(), tenant, "bus", Behaviour.REPLY)) {
            assertEquals("SUCCEEDED", api.send("bus", "{\"name\":\"before\"}", "?wait=5s").state());
        }
        String queued = accepted(api.send("bus", "{\"name\":\"while-away\"}", ""));

        try (CommandDevice onNode2 = CommandDevice.connect(node2.mqttPort(), tenant, "bus", Behaviour.REPLY)) {
            assertEquals(List.of(queued), onNode2.awaitReceived(1, PATIENCE));
            assertEquals("SUCCEEDED", api.awaitState(queued, "SUCCEEDED", PATIENCE).state());
        }
    }

    @Test
    void commandsInFlightOnAKilledNodeAreRedeliveredInOrderOnTheOther() throws Exception {
        String tenant = RegistryRecords.newTenant();
        Devices.register(tenant, "tram");
        CommandApi api = commands.api(tenant);
        List<String> sent;
        try (BridgeNode doomed = BridgeNode.start("command-node-doomed")) {
            CommandDevice holding = CommandDevice.connect(doomed.mqttPort(), tenant, "tram", Behaviour.HOLD);
            sent = List.of(accepted(api.send("tram", "{\"name\":\"one\"}", "")),
                    accepted(api.send("tram", "{\"name\":\"two\"}", "")),
                    accepted(api.send("tram", "{\"name\":\"three\"}", "")));
            assertEquals(sent, holding.awaitReceived(3, PATIENCE));
            doomed.kill();
        }
        assertEquals("PENDING", api.get(sent.get(0)).state(), "no PUBACK reached the bridge");

        try (CommandDevice again = CommandDevice.connect(node2.mqttPort(), tenant, "tram", Behaviour.REPLY)) {
            assertEquals(sent, again.awaitReceived(3, PATIENCE));
            for (String id : sent) {
                assertEquals("SUCCEEDED", api.awaitState(id, "SUCCEEDED", PATIENCE).state());
            }
        }
    }

    private static String accepted(Answer answer) {
        assertEquals(202, answer.status(), answer.body().toString());
        assertEquals("PENDING", answer.state());
        return answer.id();
    }
}
