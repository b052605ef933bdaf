package io.outpost.mailbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Group commit: callers on many threads hand in one item each and wait; writer threads take whatever has queued up
 * (at most {@code maxBatch}) and write it in one transaction, so many items share one commit and a few round trips.
 * An idle writer takes the first item at once: a lone caller waits no longer than for a transaction of its own.
 * <p>
 * The batch function answers per item (a value, or the exception that item's caller gets, e.g. a full mailbox) and
 * must leave the batch consistent with that. If the transaction fails as a whole, each of its items is written again
 * alone, so one bad item fails only its own caller.
 *
 * @param <I> what a caller hands in
 * @param <O> what it gets back
 */
public final class GroupCommit<I, O> {
    private static final Logger LOG = Logger.getLogger(GroupCommit.class);

    /** One item's outcome: a value or the exception its caller gets. */
    public record Outcome<O>(O value, RuntimeException failure) {
        public static <O> Outcome<O> of(O value) {
            return new Outcome<>(value, null);
        }

        public static <O> Outcome<O> failed(RuntimeException failure) {
            return new Outcome<>(null, failure);
        }
    }

    private record Waiting<I, O>(I item, CompletableFuture<O> result) {
    }

    private final String name;
    private final int maxBatch;
    private final Function<List<I>, List<Outcome<O>>> batch;
    private final BlockingQueue<Waiting<I, O>> queue = new LinkedBlockingQueue<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean stopped;

    /**
     * @param writers how many batches may be written at once (one commits while the next fills)
     * @param batch   writes the items, in the caller's transaction; one outcome per item, in order
     */
    public GroupCommit(String name, int writers, int maxBatch, Function<List<I>, List<Outcome<O>>> batch) {
        this.name = name;
        this.maxBatch = maxBatch;
        this.batch = batch;
        for (int i = 0; i < writers; i++) {
            Thread writer = new Thread(this::write, name + "-writer-" + i);
            writer.setDaemon(true);
            this.writers.add(writer);
            writer.start();
        }
    }

    /** Writes the item with others that queued meanwhile; its outcome, or its failure rethrown. */
    public O submit(I item, Duration timeout) {
        CompletableFuture<O> result = submitAsync(item);
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        } catch (TimeoutException e) {
            // The item may still be written: the caller cannot know, as after any lost response.
            throw new IllegalStateException(name + " did not answer within " + timeout, e);
        }
    }

    /**
     * Hands the item in without waiting: the future completes, on the writer's thread, once its batch committed (or
     * with the item's failure). With one writer, items complete in the order they were handed in.
     */
    public CompletableFuture<O> submitAsync(I item) {
        if (stopped) {
            return CompletableFuture.failedFuture(new IllegalStateException(name + " is stopped"));
        }
        CompletableFuture<O> result = new CompletableFuture<>();
        queue.add(new Waiting<>(item, result));
        return result;
    }

    private void write() {
        List<Waiting<I, O>> taken = new ArrayList<>(maxBatch);
        while (!stopped) {
            try {
                Waiting<I, O> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                taken.add(first);
                queue.drainTo(taken, maxBatch - 1);
                writeTogether(taken);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                taken.clear();
            }
        }
    }

    private void writeTogether(List<Waiting<I, O>> taken) {
        List<I> items = taken.stream().map(Waiting::item).toList();
        try {
            complete(taken, QuarkusTransaction.requiringNew().call(() -> batch.apply(items)));
        } catch (RuntimeException e) {
            if (taken.size() == 1) {
                taken.get(0).result().completeExceptionally(e);
                return;
            }
            LOG.debugf("a batch of %d for %s failed (%s); writing each alone", taken.size(), name, e.toString());
            for (Waiting<I, O> one : taken) {
                writeTogether(List.of(one));
            }
        }
    }

    private static <I, O> void complete(List<Waiting<I, O>> taken, List<Outcome<O>> outcomes) {
        for (int i = 0; i < taken.size(); i++) {
            Outcome<O> outcome = outcomes.get(i);
            if (outcome.failure() == null) {
                taken.get(i).result().complete(outcome.value());
            } else {
                taken.get(i).result().completeExceptionally(outcome.failure());
            }
        }
    }

    /** Stops taking items; waiting callers of batches not yet begun fail. */
    public void stop() throws InterruptedException {
        stopped = true;
        for (Thread writer : writers) {
            writer.join(10_000);
        }
        Waiting<I, O> left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new IllegalStateException(name + " is stopped"));
        }
    }
}
