package io.outpost.load;

import java.util.concurrent.CompletableFuture;

/**
 * How the load tool hands a command to the platform; the future completes with whether it was accepted. Devices
 * receive it on {@code devices/{d}/commands/request/{id}/c{seq}}.
 */
interface CommandChannel extends AutoCloseable {
    CompletableFuture<Boolean> send(String device, long seq);

    @Override
    default void close() {
    }
}
