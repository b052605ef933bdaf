package io.outpost.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;

import io.outpost.bridge.mqtt.MqttGateway;
import io.outpost.contracts.DeliveryReceipt;
import io.outpost.contracts.DeliveryStatus;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * One group record for many members on one node: each online member gets it exactly once, with a receipt each, and
 * no one else gets it. {@code -Doutpost.test.members=N} changes the group's size (300 by default; clients and bridge
 * share this JVM, two file descriptors a member, so the open-file limit bounds it). The time from the owner's send to
 * the last member's arrival is logged, not asserted (the machine is shared).
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class ManyMembersTest {
    private static final Logger LOG = Logger.getLogger(ManyMembersTest.class);
    private static final int MEMBERS = Integer.getInteger("outpost.test.members", 300);
    private static final int OUTSIDERS = 30;
    private static final Duration TTL = Duration.ofMinutes(10);

    @Inject
    MqttGateway gateway;
    @Inject
    DeviceDirectory directory;
    @Inject
    ObjectMapper json;

    @Test
    void everyOnlineMemberGetsTheGroupMessageExactlyOnceAndNoOneElse() throws Exception {
        // given MEMBERS members of "city" and some devices of the tenant outside it, all online and subscribed
        String tenant = TestDevices.newTenant();
        List<String> members = names("m", MEMBERS);
        List<String> outsiders = names("o", OUTSIDERS);
        GroupRegistry.put(directory, tenant, members, List.of("city"));
        GroupRegistry.put(directory, tenant, outsiders, List.of("elsewhere"));
        Map<String, Inbox> inboxes = new ConcurrentHashMap<>();
        List<Mqtt5AsyncClient> clients = new ArrayList<>();
        List<CompletableFuture<?>> subscribed = new ArrayList<>();
        for (String device : concat(members, outsiders)) {
            Inbox inbox = new Inbox();
            inboxes.put(device, inbox);
            Mqtt5AsyncClient client = Mqtt5Client.builder().identifier(UUID.randomUUID().toString())
                    .serverHost("127.0.0.1").serverPort(gateway.port()).buildAsync();
            clients.add(client);
            subscribed.add(client.connectWith().simpleAuth().username(device + "@" + tenant)
                    .password(TestDevices.SECRET.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send()
                    .thenCompose(connected -> client.subscribeWith()
                            .topicFilter("devices/" + device + "/notifications/#").qos(MqttQos.AT_LEAST_ONCE)
                            .callback(inbox::received).send()));
        }
        CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        CountDownLatch groupArrived = new CountDownLatch(MEMBERS);
        members.forEach(member -> inboxes.get(member).awaiting("group", groupArrived));
        CountDownLatch fleetArrived = new CountDownLatch(MEMBERS + OUTSIDERS);
        inboxes.values().forEach(inbox -> inbox.awaiting("fleet", fleetArrived));

        try (AudienceOwner owner = new AudienceOwner()) {
            // Connects the owner's producer, so the figure below starts at a send.
            owner.toDevice(tenant, "nobody", "notifications/air", "warm-up", TTL);

            // when the owner sends one group record
            long sent = System.nanoTime();
            String id = owner.toGroup(tenant, "city", "notifications/air", "group", TTL);

            // then every member gets it
            assertTrue(groupArrived.await(60, TimeUnit.SECONDS), groupArrived.getCount() + " members still wait");
            long last = System.nanoTime();
            LOG.infof("group message for %d members, after the owner sent it: at the first %d ms, at the last %d ms",
                    MEMBERS, TimeUnit.NANOSECONDS.toMillis(Inbox.first.get() - sent),
                    TimeUnit.NANOSECONDS.toMillis(last - sent));

            // exactly once: a fleet message sent after it reaches each session after any repeat of it would
            owner.toFleet(tenant, "notifications/air", "fleet", TTL);
            assertTrue(fleetArrived.await(60, TimeUnit.SECONDS), fleetArrived.getCount() + " devices still wait");
            members.forEach(member -> assertEquals(List.of("group", "fleet"), inboxes.get(member).payloads(), member));
            outsiders.forEach(outsider -> assertEquals(List.of("fleet"), inboxes.get(outsider).payloads(), outsider));

            // and its owner gets one DELIVERED receipt per member
            List<DeliveryReceipt> receipts = Receipts.all(json, tenant, id, MEMBERS, Duration.ofSeconds(60));
            assertEquals(MEMBERS, receipts.size());
            assertEquals(Set.copyOf(members), receipts.stream().map(DeliveryReceipt::device)
                    .collect(Collectors.toSet()));
            receipts.forEach(receipt -> assertEquals(DeliveryStatus.DELIVERED, receipt.status()));
        } finally {
            clients.forEach(client -> client.disconnect());
        }
    }

    private static List<String> names(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** What one device received, in order; counts down a latch when a payload it waits for arrives. */
    private static final class Inbox {
        /** When the first device received the group message ({@link System#nanoTime()}). */
        static final AtomicLong first = new AtomicLong();
        private final List<String> payloads = new ArrayList<>();
        private final Map<String, CountDownLatch> awaited = new ConcurrentHashMap<>();

        void awaiting(String payload, CountDownLatch latch) {
            awaited.put(payload, latch);
        }

        void received(Mqtt5Publish publish) {
            String payload = new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
            synchronized (payloads) {
                payloads.add(payload);
            }
            if (payload.equals("group")) {
                first.compareAndSet(0, System.nanoTime());
            }
            CountDownLatch latch = awaited.get(payload);
            if (latch != null) {
                latch.countDown();
            }
        }

        List<String> payloads() {
            synchronized (payloads) {
                return List.copyOf(payloads);
            }
        }
    }
}
