package io.outpost.load;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * What notifications reached the simulated fleet, by the {@code outpost-message-id} they carry: in all, per device
 * (distinct ids, copies within one session and in later sessions) and per id (how many devices got it, when the first
 * and the last did).
 */
final class NotificationTally {
    private final Map<String, PerId> byId = new ConcurrentHashMap<>();
    private final AtomicInteger nextIndex = new AtomicInteger();
    private final LongAdder received = new LongAdder();
    private final LongAdder distinct = new LongAdder();
    private final LongAdder redelivered = new LongAdder();
    private final LongAdder duplicatesInSession = new LongAdder();
    private final LongAdder withoutId = new LongAdder();

    /** One arrival at {@code device}; {@code id} is null if the message carried none. */
    void arrived(DeviceNotifications device, String id, long epochMillis) {
        received.increment();
        if (id == null) {
            withoutId.increment();
            return;
        }
        PerId perId = byId.computeIfAbsent(id, key -> new PerId(key, nextIndex.getAndIncrement()));
        switch (device.arrived(perId.index)) {
            case FIRST -> {
                distinct.increment();
                perId.reached(epochMillis);
            }
            case REDELIVERED -> redelivered.increment();
            case DUPLICATE_IN_SESSION -> duplicatesInSession.increment();
        }
    }

    long received() {
        return received.sum();
    }

    /**
     * The report as a JSON object: {@code received} (every arrival), {@code distinct} (device and id pairs),
     * {@code redelivered}, {@code duplicatesInSession}, {@code withoutId}, the fewest and most distinct ids a device
     * got, and per id (in order of first arrival) the devices that got it and the first and last arrival.
     */
    String json(Collection<DeviceNotifications> devices) {
        int fewest = devices.stream().mapToInt(DeviceNotifications::distinct).min().orElse(0);
        int most = devices.stream().mapToInt(DeviceNotifications::distinct).max().orElse(0);
        String ids = byId.values().stream().sorted(Comparator.comparingLong(perId -> perId.first.get()))
                .map(PerId::json).collect(Collectors.joining(","));
        return String.format(Locale.ROOT, "{\"received\":%d,\"distinct\":%d,\"redelivered\":%d,"
                + "\"duplicatesInSession\":%d,\"withoutId\":%d,\"distinctPerDeviceMin\":%d,\"distinctPerDeviceMax\":%d,"
                + "\"ids\":[%s]}", received.sum(), distinct.sum(), redelivered.sum(), duplicatesInSession.sum(),
                withoutId.sum(), fewest, most, ids);
    }

    private static final class PerId {
        private final String id;
        private final int index;
        private final AtomicInteger devices = new AtomicInteger();
        private final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

        PerId(String id, int index) {
            this.id = id;
            this.index = index;
        }

        void reached(long epochMillis) {
            devices.incrementAndGet();
            first.accumulateAndGet(epochMillis, Math::min);
            last.accumulateAndGet(epochMillis, Math::max);
        }

        String json() {
            return String.format(Locale.ROOT, "{\"id\":\"%s\",\"devices\":%d,\"first\":\"%s\",\"last\":\"%s\","
                    + "\"spreadSeconds\":%.3f}", id.replace("\\", "\\\\").replace("\"", "\\\""), devices.get(),
                    Instant.ofEpochMilli(first.get()), Instant.ofEpochMilli(last.get()),
                    (last.get() - first.get()) / 1e3);
        }
    }
}
