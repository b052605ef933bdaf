package io.outpost.mailbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import io.outpost.mailbox.GroupCommit.Outcome;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Group commit: many callers share batches, each gets its own outcome, and one bad item fails only its caller. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class GroupCommitTest {
    private static final int CALLERS = 32;
    private static final Duration WITHIN = Duration.ofSeconds(10);

    @Test
    void concurrentCallersShareBatchesAndEachGetsItsOwnOutcome() throws Exception {
        // given a batch that answers odd items with a failure of their own, and a poison item that fails its batch
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        GroupCommit<Integer, String> group = new GroupCommit<>("test", 2, 64, items -> {
            batchSizes.add(items.size());
            if (items.contains(13)) {
                throw new IllegalStateException("poison");
            }
            return items.stream().map(i -> i % 2 == 0 ? Outcome.of("ok-" + i)
                    : Outcome.<String>failed(new IllegalArgumentException("odd " + i))).toList();
        });
        // when 32 callers submit at once
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            int item = i;
            results.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return group.submit(item, WITHIN);
            }, callers));
        }
        go.countDown();
        // then even items succeed, odd ones fail with their own exception, the poison one with the batch's
        for (int i = 0; i < CALLERS; i++) {
            CompletableFuture<String> result = results.get(i);
            if (i == 13) {
                Throwable failure = assertThrows(Exception.class, result::join).getCause();
                assertEquals("poison", failure.getMessage());
            } else if (i % 2 == 1) {
                assertEquals("odd " + i, assertThrows(Exception.class, result::join).getCause().getMessage());
            } else {
                assertEquals("ok-" + i, result.join());
            }
        }
        // and callers did share batches: fewer batches than items, the failed one's retried one by one
        assertTrue(batchSizes.stream().anyMatch(size -> size > 1), "batch sizes " + batchSizes);
        callers.shutdown();
        group.stop();
        assertThrows(IllegalStateException.class, () -> group.submit(1, WITHIN));
    }
}
