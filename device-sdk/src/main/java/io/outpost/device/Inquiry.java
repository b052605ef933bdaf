package io.outpost.device;

import java.util.concurrent.CompletableFuture;

/**
 * A continuing inquiry ({@link OutpostDevice#subscribe}): the platform keeps answering until its last answer, an
 * error, or {@link #cancel()}.
 */
public interface Inquiry {
    /** The request id the answers carry in their topic. */
    String requestId();

    /**
     * Completes when the inquiry ends: with its last answer (which the handler got too), exceptionally with
     * {@link InquiryFailedException} on an error answer or {@link DeviceException} if the platform refused the request
     * or the device was closed, and cancelled after {@link #cancel()}. When it completes, the handler has returned from
     * every answer it will get.
     */
    CompletableFuture<Message> ended();

    /**
     * Tells the platform to stop answering ({@code inquiries/cancel/{requestId}}); no further answer reaches the
     * handler once those already received are handled, and {@link #ended()} is cancelled. Completes when the platform
     * has the cancel (PUBACK), at once if the inquiry had already ended.
     */
    CompletableFuture<Void> cancel();
}
