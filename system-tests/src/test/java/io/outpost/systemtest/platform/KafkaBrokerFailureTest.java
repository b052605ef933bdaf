package io.outpost.systemtest.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.outpost.contracts.Topics;
import io.outpost.device.CommandResult;
import io.outpost.device.OutpostDevice;
import io.outpost.systemtest.TwoBridgeNodesTest;

/**
 * One broker of the platform's 3-broker Kafka cluster (replication 3, min in-sync 2) killed with SIGKILL while 100
 * devices on two bridge nodes publish QoS 1 readings and commands flow to them, then started again: nothing the bridge
 * acknowledged is lost, every command succeeds, no service is restarted. The longest time in which no reading was
 * acknowledged goes to {@code target/system-test-figures.txt}.
 */
@ExtendWith(LocalPlatform.class)
class KafkaBrokerFailureTest {
    private static final int DEVICES = 100;
    private static final Duration READING_PERIOD = Duration.ofMillis(500);
    private static final Duration COMMAND_PERIOD = Duration.ofMillis(200);
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "EXPIRED", "UNDELIVERABLE");

    @Test
    void nothingAcknowledgedIsLostWhenABrokerDies() throws Exception {
        survive("kafka-3");
    }

    @Test
    void nothingAcknowledgedIsLostWhenTheLeaderOfTheOutboundTopicDies() throws Exception {
        survive(leaderOfMostPartitions(Topics.OUTBOUND));
    }

    private void survive(String broker) throws Exception {
        Map<String, String> pids = PlatformChecks.servicePids();
        TenantApi acme = TenantApi.of("acme");
        Map<String, OutpostDevice> devices = connectDevices(acme);
        List<String> commands = new CopyOnWriteArrayList<>();
        List<String> refused = new CopyOnWriteArrayList<>();
        ScheduledExecutorService commander = Executors.newSingleThreadScheduledExecutor();
        try {
            ReadingLoad readings = new ReadingLoad(devices, READING_PERIOD);
            List<String> ids = new ArrayList<>(devices.keySet());
            AtomicInteger next = new AtomicInteger();
            commander.scheduleAtFixedRate(() -> sendCommand(acme, ids.get(next.getAndIncrement() % ids.size()),
                    commands, refused), 0, COMMAND_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> readings.acknowledgedCount() >= 2 * DEVICES);

            long killed = System.nanoTime();
            List<String> notLive = new CopyOnWriteArrayList<>();
            try {
                LocalPlatform.kill(broker);
                // Samples every service's liveness once a second for the outage.
                await().pollInterval(Duration.ofSeconds(1)).during(OUTAGE).atMost(OUTAGE.plusSeconds(30))
                        .until(() -> notLive.addAll(PlatformChecks.notLive()) || true);
            } finally {
                LocalPlatform.up();
            }
            assertEquals(List.of(), notLive, "services whose liveness failed while " + broker + " was down");
            int atRestart = readings.acknowledgedCount();
            await().atMost(PATIENCE).until(() -> readings.acknowledgedCount() >= atRestart + 4 * DEVICES);
            commander.shutdown();
            commander.awaitTermination(10, TimeUnit.SECONDS);
            int sent = readings.stop();
            long stopped = System.nanoTime();

            assertEquals(pids, PlatformChecks.servicePids(), "no service was restarted");
            assertTrue(PlatformChecks.allLive() && PlatformChecks.allReady(), "every service live and ready");
            assertEquals(List.of(), refused, "commands refused while a broker was down");
            List<TenantApi.Answer> finals = awaitFinal(acme, commands);
            Map<String, Integer> outcomes = new TreeMap<>();
            finals.forEach(answer -> outcomes.merge(answer.text("state"), 1, Integer::sum));
            assertEquals(Map.of("SUCCEEDED", commands.size()), outcomes, () -> "every command succeeded; the others,"
                    + " with what the logs say of them and their devices:\n" + unsuccessful(finals));
            int stored = 0;
            for (String device : devices.keySet()) {
                Set<Integer> acknowledged = readings.acknowledged(device);
                Set<Integer> found = PlatformChecks.awaitStored(acme, device, acknowledged, PATIENCE).keySet();
                assertTrue(found.containsAll(acknowledged), device + ": every acknowledged reading is stored");
                stored += found.size();
            }
            TwoBridgeNodesTest.report(String.format("Kafka broker %s SIGKILLed for %d s (3 brokers, min in-sync 2),"
                    + " %d devices on 2 bridge nodes: longest time without a PUBACK %d ms; readings sent %d,"
                    + " acknowledged %d, stored %d; commands %d, all succeeded; %.1f s from kill to the end%n",
                    broker, OUTAGE.toSeconds(), DEVICES, readings.longestSilence(killed, stopped).toMillis(), sent,
                    readings.acknowledgedCount(), stored, commands.size(), (stopped - killed) / 1e9));
        } finally {
            commander.shutdownNow();
            for (OutpostDevice device : devices.values()) {
                device.close();
            }
        }
    }

    /** Half of the devices on each bridge node. */
    private static Map<String, OutpostDevice> connectDevices(TenantApi acme) throws Exception {
        String prefix = "broker-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        Map<String, OutpostDevice> devices = new LinkedHashMap<>();
        for (int i = 0; i < DEVICES; i++) {
            String id = prefix + i;
            String secret = acme.createDevice(id);
            int port = i % 2 == 0 ? LocalPlatform.NODE_1_MQTT : LocalPlatform.NODE_2_MQTT;
            OutpostDevice device = SdkDevices.builder(id, secret).endpoint("127.0.0.1", port)
                    .onCommand(command -> CommandResult.succeeded("{}")).build();
            devices.put(id, device);
        }
        for (OutpostDevice device : devices.values()) {
            SdkDevices.connect(device);
        }
        return devices;
    }

    private static void sendCommand(TenantApi acme, String device, List<String> sent, List<String> refused) {
        try {
            TenantApi.Answer answer = acme.post(LocalPlatform.COMMANDS, "/devices/" + device + "/commands",
                    "{\"name\":\"reboot\",\"ttl\":\"PT10M\"}");
            if (answer.status() == 202) {
                sent.add(answer.text("id"));
            } else {
                refused.add(answer.toString());
            }
        } catch (Exception e) {
            refused.add(e.toString());
        }
    }

    /** Each command as the API shows it once it is final or the patience ran out (with its history). */
    private static List<TenantApi.Answer> awaitFinal(TenantApi acme, List<String> commands) throws Exception {
        List<TenantApi.Answer> finals = new ArrayList<>();
        for (String id : commands) {
            finals.add(acme.poll(LocalPlatform.COMMANDS, "/commands/" + id,
                    state -> FINAL.contains(state.text("state")), PATIENCE));
        }
        return finals;
    }

    private static String unsuccessful(List<TenantApi.Answer> finals) {
        return finals.stream().filter(answer -> !answer.text("state").equals("SUCCEEDED"))
                .map(answer -> answer + "\n  " + String.join("\n  ", LocalPlatform.logLinesMentioning(40,
                        List.of(answer.text("id"), answer.text("device")))))
                .collect(Collectors.joining("\n"));
    }

    /** The broker (component name) that leads most partitions of the topic now. */
    private static String leaderOfMostPartitions(String topic) throws Exception {
        String bootstrap = LocalPlatform.KAFKA_BROKERS.values().stream().map(port -> "127.0.0.1:" + port)
                .collect(Collectors.joining(","));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(30,
                    TimeUnit.SECONDS).get(topic);
            int node = description.partitions().stream()
                    .collect(Collectors.groupingBy(partition -> partition.leader().id(), Collectors.counting()))
                    .entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            return node == 1 ? "kafka" : "kafka-" + node;
        }
    }
}
