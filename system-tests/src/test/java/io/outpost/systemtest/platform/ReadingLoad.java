package io.outpost.systemtest.platform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.outpost.device.OutpostDevice;

/**
 * Readings {@code {"n": i}} on stream {@code load}, QoS 1, from each device once per period; remembers which ones the
 * bridge acknowledged (PUBACK) and when, so a test can tell what must be stored and how long nothing was.
 */
final class ReadingLoad {
    private final Map<String, Set<Integer>> acknowledged = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Long> acknowledgedAt = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final ScheduledExecutorService sender = Executors.newScheduledThreadPool(2);

    ReadingLoad(Map<String, OutpostDevice> devices, Duration period) {
        devices.forEach((id, device) -> {
            Set<Integer> acks = acknowledged.computeIfAbsent(id, key -> new ConcurrentSkipListSet<>());
            AtomicInteger next = new AtomicInteger();
            sender.scheduleAtFixedRate(() -> {
                int n = next.getAndIncrement();
                sent.incrementAndGet();
                device.sendTelemetry("load", "{\"n\":" + n + "}").thenRun(() -> {
                    acks.add(n);
                    acknowledgedAt.add(System.nanoTime());
                });
            }, ThreadLocalRandom.current().nextLong(period.toNanos()), period.toNanos(), TimeUnit.NANOSECONDS);
        });
    }

    /** Stops sending; returns how many readings were sent. */
    int stop() throws InterruptedException {
        sender.shutdown();
        sender.awaitTermination(5, TimeUnit.SECONDS);
        return sent.get();
    }

    Set<Integer> acknowledged(String device) {
        return Set.copyOf(acknowledged.get(device));
    }

    int acknowledgedCount() {
        return acknowledged.values().stream().mapToInt(Set::size).sum();
    }

    /** The longest time between {@code from} and {@code to} (System.nanoTime) in which no reading was acknowledged. */
    Duration longestSilence(long from, long to) {
        List<Long> times = new ArrayList<>(acknowledgedAt.stream().filter(t -> t >= from && t <= to).sorted().toList());
        times.add(0, from);
        times.add(to);
        long longest = 0;
        for (int i = 1; i < times.size(); i++) {
            longest = Math.max(longest, times.get(i) - times.get(i - 1));
        }
        return Duration.ofNanos(longest);
    }
}
