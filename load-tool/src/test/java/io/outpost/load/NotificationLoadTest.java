package io.outpost.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class NotificationLoadTest {
    @Test
    void aRoundIsReadFromTheLastTopicLevel() {
        assertEquals(7, NotificationLoad.slot("devices/load-3/notifications/alerts/r7", 23));
        assertEquals(0, NotificationLoad.slot("groups/city/notifications/alerts/r0", 23));
        assertEquals(23, NotificationLoad.slot("groups/city/notifications/alerts/storm", 23), "the broker storm's slot");
        assertEquals(-1, NotificationLoad.slot("devices/load-3/notifications/alerts/r23", 23), "no such round");
        assertEquals(-1, NotificationLoad.slot("devices/load-3/notifications/alerts/probe", 23));
        assertEquals(-1, NotificationLoad.slot("devices/load-3/notifications/alerts/rx", 23));
    }

    @Test
    void aSecondCopyAtADeviceIsADuplicateAndTheLastFirstArrivalCounts() {
        Arrivals arrivals = new Arrivals(3);
        assertTrue(arrivals.arrived(0, 100));
        assertTrue(arrivals.arrived(2, 300));
        assertFalse(arrivals.arrived(2, 900), "a copy");
        assertFalse(arrivals.all());
        assertTrue(arrivals.arrived(1, 200));
        assertTrue(arrivals.all());
        assertEquals(3, arrivals.devices());
        assertEquals(1, arrivals.duplicates());
        assertEquals(300, arrivals.lastNanos(), "the copy at 900 does not make the fan-out later");
    }

    @Test
    void awaitingEveryDeviceGivesUpAtTheDeadline() throws InterruptedException {
        Arrivals arrivals = new Arrivals(2);
        arrivals.arrived(0, 1);
        long start = System.nanoTime();
        assertFalse(arrivals.awaitAll(start + Duration.ofMillis(50).toNanos()));
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(50).toNanos());
    }

    @Test
    void countsBetweenTwoSnapshotsIncludeTablesOfEitherAndPerSendIsTheMedian() {
        PlatformCounters.Snapshot before = new PlatformCounters.Snapshot(Map.of("outbound", 10L),
                Map.of("notification", 5L, "gone", 2L));
        PlatformCounters.Snapshot after = new PlatformCounters.Snapshot(Map.of("outbound", 11L),
                Map.of("notification", 6L, "mailbox_outbox", 2L));
        PlatformCounters.Snapshot delta = after.minus(before);
        assertEquals(Map.of("outbound", 1L), delta.records());
        assertEquals(Map.of("notification", 1L, "mailbox_outbox", 2L, "gone", -2L), delta.rows());

        List<PlatformCounters.Snapshot> rounds = List.of(
                new PlatformCounters.Snapshot(Map.of("outbound", 1L), Map.of()),
                new PlatformCounters.Snapshot(Map.of("outbound", 3L), Map.of()),
                new PlatformCounters.Snapshot(Map.of("outbound", 1L), Map.of()),
                new PlatformCounters.Snapshot(Map.of(), Map.of()));
        assertEquals(Map.of("outbound", 1L), NotificationLoad.median(rounds, PlatformCounters.Snapshot::records),
                "a missing count is 0; the lower middle of 0, 1, 1, 3");
    }

    @Test
    void optionsSayWhereDevicesSubscribe() {
        NotificationOptions platform = NotificationOptions.parse(new String[] {"--group", "city", "--api",
                "http://127.0.0.1:8085", "--token", "t", "--tenant", "acme", "--secret", "s", "--online", "5",
                "--storm", "3", "--spacing", "0.5"});
        assertEquals("devices/load-2/notifications/#", platform.filter("load-2"));
        assertEquals(Duration.ofMillis(500), platform.spacing());
        assertEquals(8, platform.fleetOptions().devices());
        assertEquals("load-7@acme", platform.fleetOptions().username(7));

        NotificationOptions broker = NotificationOptions.parse(new String[] {"--group", "city", "--port", "1884"});
        assertEquals("groups/city/notifications/#", broker.filter("load-2"));
        assertEquals(null, broker.fleetOptions().username(0), "no credentials for a plain broker");
        assertEquals(20, broker.rounds());
    }

    @Test
    void optionsRefuseAnApiWithoutCredentialsAndUnknownNames() {
        assertThrows(IllegalArgumentException.class, () -> NotificationOptions.parse(new String[] {}));
        assertThrows(IllegalArgumentException.class, () -> NotificationOptions.parse(new String[] {"--group", "g",
                "--api", "http://127.0.0.1:8085"}));
        assertThrows(IllegalArgumentException.class, () -> NotificationOptions.parse(new String[] {"--group", "g",
                "--rouns", "3"}));
    }
}
