package io.outpost.inquiry.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.outpost.inquiry.config.InquiryConfig;

/**
 * How many inquiries a device may open: a token bucket per device ({@code open-rate} per second, {@code open-burst} at
 * once). One device's inquiries share a Kafka partition, so one node counts all of them; after a rebalance the new node
 * starts with a full bucket. Buckets that refilled are forgotten when too many devices are tracked.
 */
@ApplicationScoped
public class OpenRate {
    private static final int MAX_DEVICES = 100_000;

    @Inject
    InquiryConfig config;

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public boolean tryOpen(String tenant, String device) {
        long now = System.nanoTime();
        if (buckets.size() > MAX_DEVICES) {
            buckets.values().removeIf(bucket -> bucket.full(config.openRate(), config.openBurst(), now));
        }
        return buckets.computeIfAbsent(tenant + "/" + device, key -> new Bucket(config.openBurst()))
                .take(config.openRate(), config.openBurst(), now);
    }

    private static final class Bucket {
        private double tokens;
        private long refilledAt = System.nanoTime();

        Bucket(int burst) {
            tokens = burst;
        }

        /** Whether it refilled completely: forgetting it changes nothing for its device. */
        synchronized boolean full(double perSecond, int burst, long now) {
            return tokens + (now - refilledAt) / 1e9 * perSecond >= burst;
        }

        synchronized boolean take(double perSecond, int burst, long now) {
            tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * perSecond);
            refilledAt = now;
            if (tokens < 1) {
                return false;
            }
            tokens--;
            return true;
        }
    }
}
