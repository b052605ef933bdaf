package io.outpost.device;

import java.nio.charset.StandardCharsets;

/**
 * The platform answered an inquiry with {@code error}: no handler for its name, the handler failed or timed out, or
 * the device asked too often. {@link #title()} and {@link #detail()} come from the answer's
 * {@code application/problem+json} payload, {@link #problem()} is the payload as sent.
 */
public class InquiryFailedException extends DeviceException {
    private final String name;
    private final String requestId;
    private final String title;
    private final String detail;
    private final String problem;

    public InquiryFailedException(String name, String requestId, String title, String detail, String problem) {
        super("inquiry " + name + " (" + requestId + ") failed: " + (title == null ? "no reason given" : title)
                + (detail == null ? "" : ": " + detail));
        this.name = name;
        this.requestId = requestId;
        this.title = title;
        this.detail = detail;
        this.problem = problem;
    }

    /**
     * From an error answer's payload: {@code title} and {@code detail} of a problem+json object; a payload that is not
     * a JSON object is taken as the detail. JSON is read leniently, for these two strings only (the SDK has no JSON
     * library).
     */
    static InquiryFailedException fromAnswer(String name, String requestId, byte[] payload) {
        String text = payload == null ? "" : new String(payload, StandardCharsets.UTF_8);
        if (!text.strip().startsWith("{")) {
            return new InquiryFailedException(name, requestId, null, text.isBlank() ? null : text.strip(), text);
        }
        return new InquiryFailedException(name, requestId, Json.stringField(text, "title"),
                Json.stringField(text, "detail"), text);
    }

    /** The inquiry's name, e.g. {@code weather}. */
    public String name() {
        return name;
    }

    public String requestId() {
        return requestId;
    }

    /** The problem's short summary (e.g. {@code No handler}), or null if the payload had none. */
    public String title() {
        return title;
    }

    /** What went wrong with this inquiry, or null if the payload said nothing more. */
    public String detail() {
        return detail;
    }

    /** The error answer's payload as UTF-8 text, usually {@code application/problem+json}. */
    public String problem() {
        return problem;
    }
}
