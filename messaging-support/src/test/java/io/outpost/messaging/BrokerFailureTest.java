package io.outpost.messaging;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.outpost.contracts.Topics;
import io.outpost.testsupport.InProcessKafkaCluster;

/**
 * The reliable producer's settings (idempotent, acks=all) on a cluster replicated like production (RF 3,
 * {@code min.insync.replicas=2}): while the broker leading a telemetry partition is stopped abruptly and later
 * restarted, sends keep succeeding, and every acknowledged record is in the topic, once.
 */
@Timeout(value = 110, unit = TimeUnit.SECONDS)
class BrokerFailureTest {
    private static final int SENDERS = 4;
    /** Per sender: 4 x 250 = 1,000 records a second, a steady stream without flooding the 2-core build machine. */
    private static final int RECORDS_PER_SECOND = 250;
    /** Acknowledgements each phase (before, during, after the outage) must see before the scenario moves on. */
    private static final int PROGRESS = 1_000;
    private static final Duration MIN_OUTAGE = Duration.ofSeconds(3);
    /** Held so that their levels stay set. */
    private static final List<Logger> KAFKA_LOGGERS = Stream.of("org.apache.kafka", "kafka", "state.change.logger")
            .map(Logger::getLogger)
            .toList();

    /** The cluster's INFO lines (configuration dumps, partition state changes: some 7,000) are left out. */
    @BeforeAll
    static void onlyKafkasWarnings() {
        KAFKA_LOGGERS.forEach(logger -> logger.setLevel(Level.WARNING));
    }

    @Test
    void everyAcknowledgedRecordSurvivesTheLossOfAPartitionLeader() throws Exception {
        long startedAt = System.nanoTime();
        try (InProcessKafkaCluster cluster = InProcessKafkaCluster.start()) {
            long clusterStartMs = millisSince(startedAt);
            Acks acks = new Acks();
            AtomicBoolean sending = new AtomicBoolean(true);
            AtomicLong sent = new AtomicLong();
            ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
            KafkaProducer<String, byte[]> producer = ReliableProducer.create(
                    Map.of("bootstrap.servers", cluster.bootstrapServers()), "test", 2);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int s = 0; s < SENDERS; s++) {
                    int sender = s;
                    running.add(senders.submit(() -> send(producer, sender, sending, sent, acks)));
                }
                await("first acknowledgements").atMost(Duration.ofSeconds(30))
                        .until(() -> acks.acked.size() >= PROGRESS);

                int victim = cluster.leaderOf(Topics.TELEMETRY, 0);
                long stopCalledAt = System.nanoTime();
                cluster.stop(victim);
                long stoppedAt = System.nanoTime();
                int ackedAtStop = acks.acked.size();
                acks.outage = true;
                await("acknowledgements while broker " + victim + " is down")
                        .pollDelay(MIN_OUTAGE).atMost(Duration.ofSeconds(60))
                        .until(() -> acks.duringOutage.get() >= PROGRESS);
                int newLeader = cluster.leaderOf(Topics.TELEMETRY, 0);
                acks.outage = false;
                long outageMs = millisSince(stoppedAt);

                long restartCalledAt = System.nanoTime();
                cluster.restart(victim);
                long restartMs = millisSince(restartCalledAt);
                int ackedAtRestart = acks.acked.size();
                await("broker " + victim + " back in every telemetry partition's ISR")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> inEveryIsr(cluster, victim));
                long rejoinMs = millisSince(restartCalledAt);
                await("acknowledgements after the restart").atMost(Duration.ofSeconds(30))
                        .until(() -> acks.acked.size() >= ackedAtRestart + PROGRESS);

                sending.set(false);
                for (Future<?> sender : running) {
                    sender.get(30, TimeUnit.SECONDS);
                }
                producer.close(Duration.ofSeconds(60)); // every callback has run when close returns

                List<String> read = readAll(cluster);
                Set<String> distinct = new HashSet<>(read);
                Set<String> missing = new HashSet<>(acks.acked);
                missing.removeAll(distinct);

                System.out.printf("BrokerFailureTest: cluster started in %d ms; broker %d (leader of %s-0) stopped in"
                        + " %d ms, partition 0 then led by %d; outage %d ms; restart took %d ms, back in every ISR"
                        + " %d ms after the restart began%n", clusterStartMs, victim, Topics.TELEMETRY,
                        TimeUnit.NANOSECONDS.toMillis(stoppedAt - stopCalledAt), newLeader, outageMs, restartMs,
                        rejoinMs);
                System.out.printf("BrokerFailureTest: sent %d, acknowledged %d (%d before the stop, %d during the"
                        + " outage), failed %d; read back %d (%d distinct), acknowledged but missing %d; first"
                        + " acknowledgement %d ms after the stop; longest gap without an acknowledgement %d ms; whole"
                        + " test %d ms%n", sent.get(), acks.acked.size(), ackedAtStop, acks.duringOutage.get(),
                        acks.failed.size(), read.size(), distinct.size(), missing.size(),
                        TimeUnit.NANOSECONDS.toMillis(acks.firstDuringOutage.get() - stoppedAt),
                        TimeUnit.NANOSECONDS.toMillis(acks.longestGapNanos.get()), millisSince(startedAt));

                assertTrue(acks.failed.isEmpty(), () -> "sends failed: "
                        + acks.failed.values().stream().limit(5).toList());
                assertEquals(sent.get(), acks.acked.size(), "every send was acknowledged");
                assertTrue(missing.isEmpty(), () -> missing.size() + " acknowledged records are not in the topic,"
                        + " e.g. " + missing.stream().limit(10).toList());
                assertEquals(read.size(), distinct.size(), "no record is in the topic twice");
                assertTrue(acks.duringOutage.get() >= PROGRESS, "sends kept succeeding while a broker was down");
                assertNotEquals(victim, newLeader, "partition 0 moved to another leader");
            } finally {
                sending.set(false);
                senders.shutdownNow();
                producer.close(Duration.ZERO);
            }
        }
    }

    /** Sends keyed records at a steady rate until told to stop; each value is the record's unique id. */
    private static void send(KafkaProducer<String, byte[]> producer, int sender, AtomicBoolean sending,
            AtomicLong sent, Acks acks) {
        long interval = TimeUnit.SECONDS.toNanos(1) / RECORDS_PER_SECOND;
        long next = System.nanoTime();
        for (long sequence = 0; sending.get(); sequence++) {
            String id = sender + "-" + sequence;
            String key = "tenant-" + sender + "/device-" + sequence % 50;
            producer.send(new ProducerRecord<>(Topics.TELEMETRY, key, id.getBytes(UTF_8)),
                    (metadata, exception) -> acks.completed(id, exception));
            sent.incrementAndGet();
            next += interval;
            LockSupport.parkNanos(next - System.nanoTime());
        }
    }

    private static boolean inEveryIsr(InProcessKafkaCluster cluster, int nodeId) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers()))) {
            return admin.describeTopics(Set.of(Topics.TELEMETRY)).allTopicNames().get().get(Topics.TELEMETRY)
                    .partitions().stream()
                    .allMatch(partition -> partition.isr().stream().anyMatch(node -> node.id() == nodeId));
        }
    }

    /** The values of every record in the telemetry topic, from the beginning of each partition to its end. */
    private static List<String> readAll(InProcessKafkaCluster cluster) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.TELEMETRY).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            await("reading the topic back").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(new String(record.value(),
                                UTF_8)));
                        return partitions.stream().allMatch(partition -> consumer.position(partition)
                                >= ends.get(partition));
                    });
        }
        return values;
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    /** What the send callbacks reported; they run on the producer's I/O thread. */
    private static final class Acks {
        final Set<String> acked = ConcurrentHashMap.newKeySet();
        final Map<String, Exception> failed = new ConcurrentHashMap<>();
        final AtomicInteger duringOutage = new AtomicInteger();
        final AtomicLong longestGapNanos = new AtomicLong();
        final AtomicLong firstDuringOutage = new AtomicLong();
        private final AtomicLong lastAck = new AtomicLong();
        volatile boolean outage;

        void completed(String id, Exception exception) {
            if (exception != null) {
                failed.put(id, exception);
                return;
            }
            long now = System.nanoTime();
            long previous = lastAck.getAndSet(now);
            if (previous != 0) {
                longestGapNanos.accumulateAndGet(now - previous, Math::max);
            }
            acked.add(id);
            if (outage) {
                duringOutage.incrementAndGet();
                firstDuringOutage.compareAndSet(0, now);
            }
        }
    }
}
