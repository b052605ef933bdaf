package io.outpost.mailbox;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs work for many keys concurrently and for one key in order: each key maps to one of {@code lanes} single
 * threads. So one device's session events are applied in the order its partition holds them (a DISCONNECTED never
 * overtakes its own CONNECTED), while a reconnect storm's thousands of devices still spread over all lanes.
 */
public final class KeyedLanes {
    private final List<ExecutorService> lanes = new ArrayList<>();

    public KeyedLanes(String name, int lanes) {
        for (int i = 0; i < lanes; i++) {
            String thread = name + "-" + i;
            this.lanes.add(Executors.newSingleThreadExecutor(r -> new Thread(r, thread)));
        }
    }

    /** Runs the work on the key's lane after everything handed in for that key before it. */
    public CompletionStage<Void> run(String key, Runnable work) {
        return CompletableFuture.runAsync(work, lanes.get(Math.floorMod(String.valueOf(key).hashCode(), lanes.size())));
    }

    public void stop() throws InterruptedException {
        lanes.forEach(ExecutorService::shutdown);
        for (ExecutorService lane : lanes) {
            lane.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
