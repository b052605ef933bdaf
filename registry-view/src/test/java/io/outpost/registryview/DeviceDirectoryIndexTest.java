package io.outpost.registryview;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.outpost.testsupport.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PreexistingRecords.class)
class DeviceDirectoryIndexTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Inject
    DeviceDirectory directory;

    @Test
    void deviceChangingGroupsMovesBetweenMemberLists() {
        String tenant = RegistryTopics.newTenant();
        try (RegistryTopics topics = new RegistryTopics()) {
            // given d1 in a, d2 in a and b
            topics.device(tenant, "d2", "a", "b");
            topics.device(tenant, "d1", "a");
            topics.flush();
            await().atMost(TIMEOUT).until(() -> directory.tenantCount(tenant) == 2);
            assertEquals(List.of("d1", "d2"), directory.members(tenant, "a"));
            assertEquals(List.of("d2"), directory.members(tenant, "b"));

            // when d1 moves from a to b
            topics.device(tenant, "d1", "b");
            topics.flush();

            // then it is listed and counted in b only
            await().atMost(TIMEOUT).until(() -> directory.members(tenant, "a").equals(List.of("d2")));
            assertEquals(List.of("d1", "d2"), directory.members(tenant, "b"));
            assertEquals(1, directory.memberCount(tenant, "a"));
            assertEquals(2, directory.memberCount(tenant, "b"));
            assertFalse(directory.isMember(tenant, "a", "d1"));
            assertTrue(directory.isMember(tenant, "b", "d1"));
            assertEquals(List.of("d1", "d2"), directory.tenantDevices(tenant));
        }
    }

    @Test
    void deletedDeviceLeavesItsGroupsAndItsTenant() {
        String tenant = RegistryTopics.newTenant();
        try (RegistryTopics topics = new RegistryTopics()) {
            // given two devices sharing group a
            topics.device(tenant, "d1", "a", "b");
            topics.device(tenant, "d2", "a");
            topics.flush();
            await().atMost(TIMEOUT).until(() -> directory.memberCount(tenant, "a") == 2);

            // when d1 is deleted (a tombstone)
            topics.deviceDeleted(tenant, "d1");
            topics.flush();

            // then it is in no group and not in the tenant
            await().atMost(TIMEOUT).until(() -> directory.tenantCount(tenant) == 1);
            assertEquals(List.of("d2"), directory.members(tenant, "a"));
            assertEquals(List.of(), directory.members(tenant, "b"));
            assertEquals(0, directory.memberCount(tenant, "b"));
            assertEquals(List.of("d2"), directory.tenantDevices(tenant));

            // and when the last device goes, the tenant has none
            topics.deviceDeleted(tenant, "d2");
            topics.flush();
            await().atMost(TIMEOUT).until(() -> directory.tenantCount(tenant) == 0);
            assertEquals(List.of(), directory.tenantDevices(tenant));
            assertEquals(List.of(), directory.members(tenant, "a"));
        }
    }

    @Test
    void concurrentReadersGetSortedCompleteAnswersWhileDevicesMoveAndGo() throws Exception {
        String tenant = RegistryTopics.newTenant();
        List<String> fleet = IntStream.range(0, 300).mapToObj(i -> String.format("dev-%03d", i)).toList();
        Map<String, List<String>> last = new TreeMap<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean moving = new AtomicBoolean(true);
        // Held by a reader through one check, so the deletions start only after every check that expects none ended.
        ReadWriteLock phase = new ReentrantReadWriteLock();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        ExecutorService readers = Executors.newFixedThreadPool(4);
        try (RegistryTopics topics = new RegistryTopics()) {
            // given the fleet, half in a, half in b
            for (int i = 0; i < fleet.size(); i++) {
                last.put(fleet.get(i), put(topics, tenant, fleet.get(i), i % 2 == 0 ? List.of("a") : List.of("b")));
            }
            topics.flush();
            await().atMost(TIMEOUT).until(() -> directory.tenantCount(tenant) == fleet.size());

            // and readers asking about the tenant without pause
            for (int r = 0; r < 4; r++) {
                readers.submit(() -> {
                    try {
                        while (!stop.get()) {
                            phase.readLock().lock();
                            try {
                                check(tenant, fleet, moving.get());
                            } finally {
                                phase.readLock().unlock();
                            }
                            reads.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
            }
            long readsBefore = reads.get();

            // when every device changes groups 20 times, then a third of them are deleted
            for (int round = 1; round <= 20; round++) {
                for (int i = 0; i < fleet.size(); i++) {
                    last.put(fleet.get(i), put(topics, tenant, fleet.get(i), groupsIn(round, i)));
                }
            }
            topics.flush();
            await().atMost(TIMEOUT).until(() -> indexMatches(tenant, last));
            phase.writeLock().lock();
            moving.set(false);
            phase.writeLock().unlock();
            for (int i = 0; i < fleet.size(); i += 3) {
                topics.deviceDeleted(tenant, fleet.get(i));
                last.remove(fleet.get(i));
            }
            topics.flush();

            // then the index ends equal to the last record of every device, and to the records the directory holds
            await().atMost(TIMEOUT).until(() -> indexMatches(tenant, last));
            assertEquals(expectedMembers(recordsIn(tenant, fleet), "a"), directory.members(tenant, "a"));
            assertEquals(expectedMembers(recordsIn(tenant, fleet), "b"), directory.members(tenant, "b"));
            // and no reader ever got an unsorted, duplicated, foreign or incomplete answer
            stop.set(true);
            readers.shutdown();
            assertTrue(readers.awaitTermination(30, TimeUnit.SECONDS));
            assertTrue(failures.isEmpty(), () -> failures.size() + " reader(s) failed, first: " + failures.peek());
            assertTrue(reads.get() > readsBefore, "the readers ran while the devices moved");
        } finally {
            stop.set(true);
            readers.shutdownNow();
        }
    }

    private static List<String> put(RegistryTopics topics, String tenant, String device, List<String> groups) {
        topics.device(tenant, device, groups.toArray(String[]::new));
        return groups;
    }

    private static List<String> groupsIn(int round, int device) {
        return switch ((round + device) % 3) {
            case 0 -> List.of("a");
            case 1 -> List.of("b");
            default -> List.of("a", "b");
        };
    }

    /** What every answer must satisfy, whatever changes are in flight. */
    private void check(String tenant, List<String> fleet, boolean moving) {
        for (String group : List.of("a", "b")) {
            List<String> members = directory.members(tenant, group);
            assertSortedSubset(members, fleet);
            int count = directory.memberCount(tenant, group);
            assertTrue(count >= 0 && count <= fleet.size(), "count " + count);
        }
        List<String> devices = directory.tenantDevices(tenant);
        assertSortedSubset(devices, fleet);
        if (moving) {
            // a device that changes groups never drops out of its tenant
            assertTrue(devices.equals(fleet), () -> "missing from the tenant: "
                    + fleet.stream().filter(device -> !devices.contains(device)).toList());
            assertEquals(fleet.size(), directory.tenantCount(tenant));
        }
    }

    private static void assertSortedSubset(List<String> ids, List<String> fleet) {
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i - 1).compareTo(ids.get(i)) < 0, "sorted without duplicates: " + ids);
        }
        assertTrue(fleet.containsAll(ids), "only the tenant's devices: " + ids);
    }

    private boolean indexMatches(String tenant, Map<String, List<String>> last) {
        return directory.tenantDevices(tenant).equals(List.copyOf(last.keySet()))
                && directory.members(tenant, "a").equals(expectedMembers(last, "a"))
                && directory.members(tenant, "b").equals(expectedMembers(last, "b"))
                && directory.memberCount(tenant, "a") == expectedMembers(last, "a").size()
                && directory.memberCount(tenant, "b") == expectedMembers(last, "b").size()
                && directory.tenantCount(tenant) == last.size();
    }

    private Map<String, List<String>> recordsIn(String tenant, List<String> fleet) {
        Map<String, List<String>> records = new TreeMap<>();
        for (String device : fleet) {
            directory.find(tenant + "/" + device).ifPresent(record -> records.put(device, record.groups()));
        }
        return records;
    }

    private static List<String> expectedMembers(Map<String, List<String>> groupsByDevice, String group) {
        List<String> members = new ArrayList<>();
        groupsByDevice.forEach((device, groups) -> {
            if (groups.contains(group)) {
                members.add(device);
            }
        });
        return members;
    }
}
