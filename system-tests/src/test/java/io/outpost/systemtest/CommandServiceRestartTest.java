package io.outpost.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.outpost.systemtest.CommandApi.Answer;
import io.outpost.systemtest.CommandDevice.Behaviour;
import io.outpost.testsupport.RegistryRecords;

/** A command service killed with SIGKILL right after accepting commands loses none of them. */
class CommandServiceRestartTest {
    private static final int COMMANDS_PER_DEVICE = 25;
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void everyAcceptedCommandReachesItsDeviceInOrderAfterACrash() throws Exception {
        String tenant = RegistryRecords.newTenant();
        Devices.register(tenant, "online");
        Devices.register(tenant, "offline");
        String database = Databases.create("commands_restart");
        try (BridgeNode node = BridgeNode.start("restart-node");
                CommandDevice online = CommandDevice.connect(node.mqttPort(), tenant, "online", Behaviour.ACKNOWLEDGE)) {
            List<String> toOnline = new ArrayList<>();
            List<String> toOffline = new ArrayList<>();
            CommandServiceNode first = CommandServiceNode.start("command-service-before-crash", database);
            CommandApi api = first.api(tenant);
            for (int i = 0; i < COMMANDS_PER_DEVICE; i++) {
                toOnline.add(accepted(api.send("online", "{\"name\":\"c" + i + "\"}", "")));
                toOffline.add(accepted(api.send("offline", "{\"name\":\"c" + i + "\"}", "")));
            }
            first.kill();

            try (CommandServiceNode second = CommandServiceNode.start("command-service-after-crash", database);
                    CommandDevice offline = CommandDevice.connect(node.mqttPort(), tenant, "offline",
                            Behaviour.ACKNOWLEDGE)) {
                assertInOrderWithoutGaps(toOnline, online.awaitReceived(COMMANDS_PER_DEVICE, PATIENCE));
                assertInOrderWithoutGaps(toOffline, offline.awaitReceived(COMMANDS_PER_DEVICE, PATIENCE));
                CommandApi after = second.api(tenant);
                for (String id : toOnline) {
                    assertEquals("DELIVERED", after.awaitState(id, "DELIVERED", PATIENCE).state());
                }
                for (String id : toOffline) {
                    assertEquals("DELIVERED", after.awaitState(id, "DELIVERED", PATIENCE).state());
                }
            }
        }
    }

    /** At least once: a command may come twice, but every one comes and the first arrivals keep creation order. */
    private static void assertInOrderWithoutGaps(List<String> sent, List<String> received) {
        assertEquals(sent, List.copyOf(new LinkedHashSet<>(received)));
    }

    private static String accepted(Answer answer) {
        assertEquals(202, answer.status(), answer.body().toString());
        return answer.id();
    }
}
