package io.outpost.load;

/**
 * Inquiries, device to handler and back. Scenarios (the first argument, options in {@link InquiryOptions}):
 * <ul>
 * <li>{@code one-shot}: devices ask once at a fixed total rate, open loop; the round trip from the publish to the
 * answer at the device ({@link OneShotInquiries}). On the platform the tool is the webhook; without {@code --api}, the
 * baseline: MQTT 5 request/response through a plain broker with a responder client.</li>
 * <li>{@code continuing}: every device holds one open continuing inquiry that a Kafka backend in the tool answers at a
 * steady rate; delivered rate, answer-to-device latency, lost, out-of-order and duplicate answers, and the inquiry
 * service's resident memory ({@link ContinuingInquiries}). Platform only.</li>
 * </ul>
 * Prints one JSON line; progress on standard error. Exit code 1 if anything failed, was lost or came out of order,
 * 2 for a bad command line.
 */
public final class InquiryLoad {
    private InquiryLoad() {
    }

    public static void main(String[] args) throws Exception {
        InquiryOptions options;
        try {
            options = InquiryOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(InquiryOptions.USAGE);
            System.exit(2);
            return;
        }
        Progress progress = new Progress();
        int status = options.scenario().equals(InquiryOptions.ONE_SHOT)
                ? new OneShotInquiries(options, progress).run()
                : new ContinuingInquiries(options, progress).run();
        System.exit(status);
    }
}
