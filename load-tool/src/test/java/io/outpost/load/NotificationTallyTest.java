package io.outpost.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class NotificationTallyTest {
    private static final long T0 = Instant.parse("2026-11-30T12:00:00Z").toEpochMilli();

    private final NotificationTally tally = new NotificationTally();
    private final DeviceNotifications lamp = new DeviceNotifications();
    private final DeviceNotifications kiosk = new DeviceNotifications();

    @Test
    void aCopyInTheSameSessionIsADuplicateAndOneInALaterSessionARedelivery() {
        lamp.sessionStarted();
        tally.arrived(lamp, "n-1", T0);
        tally.arrived(lamp, "n-1", T0 + 10);
        lamp.sessionStarted();
        tally.arrived(lamp, "n-1", T0 + 20);
        tally.arrived(lamp, "n-2", T0 + 30);

        String json = tally.json(List.of(lamp));
        assertEquals(4, tally.received());
        assertTrue(json.startsWith("{\"received\":4,\"distinct\":2,\"redelivered\":1,\"duplicatesInSession\":1,"
                + "\"withoutId\":0,\"distinctPerDeviceMin\":2,\"distinctPerDeviceMax\":2,"), json);
    }

    @Test
    void perIdItCountsTheDevicesThatGotItAndTheirFirstAndLastArrival() {
        tally.arrived(kiosk, "n-2", T0 + 5_000);
        tally.arrived(lamp, "n-1", T0 + 1_500);
        tally.arrived(kiosk, "n-1", T0);
        tally.arrived(kiosk, "n-1", T0 + 9_000);

        assertEquals("{\"received\":4,\"distinct\":3,\"redelivered\":0,\"duplicatesInSession\":1,\"withoutId\":0,"
                + "\"distinctPerDeviceMin\":1,\"distinctPerDeviceMax\":2,\"ids\":["
                + "{\"id\":\"n-1\",\"devices\":2,\"first\":\"2026-11-30T12:00:00Z\",\"last\":\"2026-11-30T12:00:01.500Z\","
                + "\"spreadSeconds\":1.500},"
                + "{\"id\":\"n-2\",\"devices\":1,\"first\":\"2026-11-30T12:00:05Z\",\"last\":\"2026-11-30T12:00:05Z\","
                + "\"spreadSeconds\":0.000}]}", tally.json(List.of(lamp, kiosk)),
                "the copy at +9 s is no arrival of n-1 at a new device; ids in order of first arrival");
    }

    @Test
    void aMessageWithoutAnIdIsCountedButNotTracked() {
        tally.arrived(lamp, null, T0);
        assertEquals("{\"received\":1,\"distinct\":0,\"redelivered\":0,\"duplicatesInSession\":0,\"withoutId\":1,"
                + "\"distinctPerDeviceMin\":0,\"distinctPerDeviceMax\":0,\"ids\":[]}", tally.json(List.of(lamp)));
    }
}
