package io.outpost.remoteaccess.relay;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.outpost.remoteaccess.tunnel.Side;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * The tunnel sides connected to this node. A node splicing with one may ask for it a moment before its WebSocket is
 * up (the database says it is here once its token was accepted), so a lookup waits a little for it.
 */
@ApplicationScoped
public class LocalSides {
    private final Map<String, Promise<LocalSide>> expected = new ConcurrentHashMap<>();
    private final Map<String, LocalSide> connected = new ConcurrentHashMap<>();

    @Inject
    Vertx vertx;

    static String key(String tunnelId, Side side) {
        return tunnelId + "/" + side.value();
    }

    void add(LocalSide side) {
        connected.put(side.key(), side);
        promise(side.key()).tryComplete(side);
    }

    void remove(LocalSide side) {
        connected.remove(side.key(), side);
        expected.remove(side.key());
    }

    /** The side once it is connected here; fails if it is not within {@code wait}. */
    Future<LocalSide> await(String tunnelId, Side side, Duration wait) {
        String key = key(tunnelId, side);
        Promise<LocalSide> promise = promise(key);
        long timer = vertx.setTimer(wait.toMillis(), id -> {
            if (promise.tryFail("the " + side.value() + " side of " + tunnelId + " is not connected to this node")) {
                expected.remove(key, promise);
            }
        });
        return promise.future().onComplete(done -> vertx.cancelTimer(timer));
    }

    List<LocalSide> all() {
        return List.copyOf(connected.values());
    }

    int size() {
        return connected.size();
    }

    private Promise<LocalSide> promise(String key) {
        return expected.computeIfAbsent(key, k -> Promise.promise());
    }
}
