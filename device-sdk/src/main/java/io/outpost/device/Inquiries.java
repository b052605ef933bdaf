package io.outpost.device;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The device's open inquiries and the dispatch of their answers, which arrive on
 * {@code inquiries/response/{requestId}/{type}}: {@code answer} goes to the handler, {@code last} goes to the handler
 * and then ends the inquiry with it, {@code error} fails the inquiry with {@link InquiryFailedException}. Copies are
 * dropped by message id; answers to a request id that is not open (never asked, ended, cancelled) are ignored. A
 * request is forgotten the moment its {@code last} or {@code error} arrives, so nothing after it is delivered.
 * <p>
 * Handlers run and futures complete on the device's inquiry thread, one answer at a time in arrival order, never on
 * the MQTT client's I/O thread (which also answers keep-alives): an inquiry ends only after its handler has returned
 * from every earlier answer. A handler that throws is logged and gets the later answers.
 */
final class Inquiries {
    private static final System.Logger LOG = System.getLogger(Inquiries.class.getName());
    /** The bridge takes a lifetime of 1 to 9 decimal digits of seconds. */
    private static final long LONGEST_LIFETIME_SECONDS = 999_999_999L;

    private final Map<String, Open> open = new ConcurrentHashMap<>();
    private final RecentIds seen;
    private final Function<String, CompletableFuture<Void>> sendCancel;
    private final ExecutorService runner;

    /**
     * @param seen       the device's recent message ids, shared with commands and notifications
     * @param sendCancel publishes {@code inquiries/cancel/{requestId}} for a request id
     */
    Inquiries(String device, RecentIds seen, Function<String, CompletableFuture<Void>> sendCancel) {
        this.seen = seen;
        this.sendCancel = sendCancel;
        this.runner = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "outpost-inquiries-" + device);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Opens an inquiry; call before publishing its request, so an answer that overtakes the PUBACK finds it.
     * {@code answers} gets every {@code answer} and the {@code last}; null for a one-shot inquiry, which only ends.
     * Completing {@link Inquiry#ended()} from outside (a timeout, {@code cancel}) forgets the request too.
     */
    Inquiry open(String name, String requestId, Consumer<Message> answers) {
        Open inquiry = new Open(name, requestId, answers);
        if (open.putIfAbsent(requestId, inquiry) != null) {
            throw new IllegalStateException("request id " + requestId + " is already open");
        }
        inquiry.ended.whenComplete((last, error) -> open.remove(requestId, inquiry));
        return inquiry;
    }

    /** The request was not published or the platform refused it: the inquiry fails with the reason. */
    void refused(Inquiry inquiry, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (open.remove(inquiry.requestId(), inquiry)) {
            later(() -> inquiry.ended().completeExceptionally(cause));
        }
    }

    /** A message on an inquiry topic; {@code relativeTopic} is below {@code devices/{device}/}. */
    void receive(String relativeTopic, String messageId, byte[] payload, String contentType) {
        DeviceTopics.InquiryResponse response = DeviceTopics.inquiryResponse(relativeTopic);
        if (response == null) {
            LOG.log(System.Logger.Level.DEBUG, "not an inquiry answer, ignored: {0}", relativeTopic);
            return;
        }
        if (messageId != null && !seen.firstTime(messageId)) {
            return;
        }
        String requestId = response.requestId();
        Open inquiry = response.type() == DeviceTopics.AnswerType.ANSWER ? open.get(requestId) : open.remove(requestId);
        if (inquiry == null) {
            LOG.log(System.Logger.Level.DEBUG, "answer {0} to request {1}, which is not open, ignored", messageId,
                    requestId);
            return;
        }
        Message message = new Message(messageId, relativeTopic, payload, contentType);
        switch (response.type()) {
            case ANSWER -> later(() -> inquiry.deliver(message));
            case LAST -> later(() -> {
                inquiry.deliver(message);
                inquiry.ended.complete(message);
            });
            case ERROR -> later(() -> inquiry.ended.completeExceptionally(
                    InquiryFailedException.fromAnswer(inquiry.name, requestId, payload)));
        }
    }

    /** How many inquiries are open. */
    int size() {
        return open.size();
    }

    /** Fails the open inquiries (after the answers already received are handled) and stops the inquiry thread. */
    void close() {
        for (Open inquiry : List.copyOf(open.values())) {
            if (open.remove(inquiry.requestId, inquiry)) {
                later(() -> inquiry.ended.completeExceptionally(new DeviceException(
                        "device closed before inquiry " + inquiry.name + " (" + inquiry.requestId + ") ended")));
            }
        }
        runner.shutdown();
    }

    /**
     * The MQTT 5 user property {@code lifetime} for a continuing inquiry: whole seconds, rounded up.
     *
     * @throws IllegalArgumentException unless it is positive and at most 999,999,999 seconds
     */
    static String lifetimeSeconds(Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("an inquiry's lifetime must be positive: " + lifetime);
        }
        long seconds = lifetime.getSeconds() + (lifetime.getNano() > 0 ? 1 : 0);
        if (seconds > LONGEST_LIFETIME_SECONDS) {
            throw new IllegalArgumentException("an inquiry's lifetime is at most " + LONGEST_LIFETIME_SECONDS
                    + " seconds: " + lifetime);
        }
        return Long.toString(seconds);
    }

    /** Runs on the inquiry thread after what is queued there; at once if the device is closed. */
    private void later(Runnable task) {
        try {
            runner.execute(task);
        } catch (RejectedExecutionException closed) {
            task.run();
        }
    }

    private final class Open implements Inquiry {
        private final String name;
        private final String requestId;
        private final Consumer<Message> answers;
        private final CompletableFuture<Message> ended = new CompletableFuture<>();

        private Open(String name, String requestId, Consumer<Message> answers) {
            this.name = name;
            this.requestId = requestId;
            this.answers = answers;
        }

        @Override
        public String requestId() {
            return requestId;
        }

        @Override
        public CompletableFuture<Message> ended() {
            return ended;
        }

        @Override
        public CompletableFuture<Void> cancel() {
            if (!open.remove(requestId, this)) {
                return CompletableFuture.completedFuture(null);
            }
            later(() -> ended.cancel(false));
            return sendCancel.apply(requestId);
        }

        private void deliver(Message message) {
            if (answers == null) {
                return;
            }
            try {
                answers.accept(message);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "handler of inquiry " + name + " (" + requestId + ") failed on "
                        + message.id(), e);
            }
        }
    }
}
