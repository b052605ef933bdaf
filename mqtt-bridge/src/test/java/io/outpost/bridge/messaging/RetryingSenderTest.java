package io.outpost.bridge.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class RetryingSenderTest {
    private static final Duration FIRST = Duration.ofMillis(100);
    private static final Duration LONGEST = Duration.ofSeconds(1);

    /** Kafka that fails the first {@code failures} sends, then acknowledges; counts every send. */
    private static final class FlakyKafka implements RetryingSender.Transport {
        final AtomicInteger sends = new AtomicInteger();
        final AtomicInteger acknowledged = new AtomicInteger();
        volatile int failures;
        volatile boolean throwInstead;

        FlakyKafka(int failures) {
            this.failures = failures;
        }

        @Override
        public void send(ProducerRecord<String, byte[]> record, Callback callback) {
            sends.incrementAndGet();
            if (failures > 0) {
                failures--;
                if (throwInstead) {
                    throw new IllegalStateException("buffer exhausted");
                }
                callback.onCompletion(null, new TimeoutException("delivery timed out"));
            } else {
                acknowledged.incrementAndGet();
                callback.onCompletion(null, null);
            }
        }
    }

    /** Remembers each pause asked for and runs the retries only when the test says so. */
    private static final class RecordedPauses implements RetryingSender.Pauses {
        final List<Duration> asked = new ArrayList<>();
        final Deque<Runnable> due = new ArrayDeque<>();

        @Override
        public synchronized void after(Duration pause, Runnable task) {
            asked.add(pause);
            due.add(task);
        }

        synchronized Runnable next() {
            return due.poll();
        }

        void runAll() {
            for (Runnable task = next(); task != null; task = next()) {
                task.run();
            }
        }
    }

    @Test
    void recordThatFailsFourTimesIsSentUntilKafkaAcknowledgesItWithGrowingPauses() {
        FlakyKafka kafka = new FlakyKafka(4);
        RecordedPauses pauses = new RecordedPauses();
        RetryingSender sender = new RetryingSender("receipt", kafka, pauses, 10, FIRST, LONGEST);

        assertTrue(sender.send("r1", record()));
        assertEquals(1, sender.pending());
        pauses.runAll();

        assertEquals(5, kafka.sends.get());
        assertEquals(1, kafka.acknowledged.get());
        assertEquals(0, sender.pending());
        assertEquals(List.of(ms(100), ms(200), ms(400), ms(800)), pauses.asked);
    }

    @Test
    void pausesDoubleUpToTheLongestAndStayThere() {
        RetryingSender sender = new RetryingSender("receipt", new FlakyKafka(0), new RecordedPauses(), 10, FIRST,
                LONGEST);

        assertEquals(List.of(ms(100), ms(200), ms(400), ms(800), ms(1000), ms(1000)),
                List.of(1, 2, 3, 4, 5, 1000).stream().map(sender::pauseAfter).toList());
    }

    @Test
    void sendThatThrowsIsRetriedLikeOneThatFailed() {
        FlakyKafka kafka = new FlakyKafka(2);
        kafka.throwInstead = true;
        RecordedPauses pauses = new RecordedPauses();
        RetryingSender sender = new RetryingSender("receipt", kafka, pauses, 10, FIRST, LONGEST);

        assertTrue(sender.send("r1", record()));
        pauses.runAll();

        assertEquals(1, kafka.acknowledged.get());
        assertEquals(0, sender.pending());
    }

    @Test
    void beyondMaxPendingARecordIsRefusedWhileTheOthersAreStillRetried() {
        FlakyKafka kafka = new FlakyKafka(2);
        RecordedPauses pauses = new RecordedPauses();
        RetryingSender sender = new RetryingSender("receipt", kafka, pauses, 2, FIRST, LONGEST);

        assertTrue(sender.send("r1", record()));
        assertTrue(sender.send("r2", record()));
        assertFalse(sender.send("r3", record()));
        assertEquals(2, sender.pending());
        pauses.runAll();

        assertEquals(2, kafka.acknowledged.get());
        assertEquals(0, sender.pending());
        assertTrue(sender.send("r4", record()));
    }

    @Test
    void drainRetriesWhatWaitsForItsPauseAtOnceAndWaitsForTheAcknowledgement() throws Exception {
        FlakyKafka kafka = new FlakyKafka(1);
        RecordedPauses pauses = new RecordedPauses();
        RetryingSender sender = new RetryingSender("receipt", kafka, pauses, 10, FIRST, LONGEST);
        sender.send("r1", record());
        assertEquals(1, sender.pending());

        assertTrue(sender.drain(Duration.ofSeconds(5)));

        assertEquals(1, kafka.acknowledged.get());
        assertEquals(0, sender.pending());
        pauses.runAll(); // the retry that was scheduled before the drain finds nothing left to do
        assertEquals(2, kafka.sends.get());
    }

    @Test
    void drainGivesUpAfterItsLimitAndLaterSendsAreRefused() throws Exception {
        RetryingSender.Transport silentKafka = (record, callback) -> {
        };
        RetryingSender sender = new RetryingSender("receipt", silentKafka, new RecordedPauses(), 10, FIRST, LONGEST);
        sender.send("r1", record());

        assertFalse(sender.drain(Duration.ofMillis(50)));

        assertFalse(sender.send("r2", record()));
    }

    private static ProducerRecord<String, byte[]> record() {
        return new ProducerRecord<>("outpost.delivery-receipts.v1", "t/d", new byte[0]);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
