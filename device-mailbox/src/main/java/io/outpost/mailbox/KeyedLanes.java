package io.outpost.mailbox;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

import io.outpost.mailbox.GroupCommit.Outcome;

/**
 * Applies work for many keys concurrently and for one key in order: each key maps to one of {@code lanes} lanes, and
 * each lane is a {@link GroupCommit} with a single writer, so what queued up on a lane is applied in order and in one
 * transaction. So one device's session events are applied in the order its partition holds them (a DISCONNECTED never
 * overtakes its own CONNECTED), a reconnect storm's thousands of devices spread over all lanes, and a lane commits
 * once per batch, not once per event.
 *
 * @param <I> the work item
 */
public final class KeyedLanes<I> {
    private final List<GroupCommit<I, Void>> lanes = new ArrayList<>();

    /** @param apply applies a lane's batch, in order, inside the lane's transaction */
    public KeyedLanes(String name, int lanes, int maxBatch, Consumer<List<I>> apply) {
        Function<List<I>, List<Outcome<Void>>> batch = items -> {
            apply.accept(items);
            return items.stream().map(item -> Outcome.<Void>of(null)).toList();
        };
        for (int i = 0; i < lanes; i++) {
            this.lanes.add(new GroupCommit<>(name + "-" + i, 1, maxBatch, batch));
        }
    }

    /** Applies the item after everything handed in for the same key before it; completes once committed. */
    public CompletionStage<Void> submit(String key, I item) {
        return lanes.get(Math.floorMod(String.valueOf(key).hashCode(), lanes.size())).submitAsync(item);
    }

    public void stop() throws InterruptedException {
        for (GroupCommit<I, Void> lane : lanes) {
            lane.stop();
        }
    }
}
