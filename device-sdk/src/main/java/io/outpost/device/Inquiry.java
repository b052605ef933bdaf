package io.outpost.device;

import java.util.concurrent.CompletableFuture;

/** A continuing inquiry: the platform keeps answering until {@link #cancel()}. */
public interface Inquiry {
    /** The request id the answers carry in their topic. */
    String requestId();

    /** Tells the platform to stop answering; completes when the platform has the cancel (PUBACK). */
    CompletableFuture<Void> cancel();
}
