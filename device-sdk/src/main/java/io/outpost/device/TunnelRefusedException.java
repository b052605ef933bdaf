package io.outpost.device;

/**
 * remote-access-service did not open a tunnel: {@link #status()} is the HTTP status (403 when the device's policy is
 * off or does not allow the port, 404 for a device the tenant does not have, 401 for a missing or expired token),
 * {@link #title()} and {@link #detail()} come from its {@code application/problem+json} answer.
 */
public class TunnelRefusedException extends DeviceException {
    private final int status;
    private final String title;
    private final String detail;

    public TunnelRefusedException(int status, String title, String detail) {
        super("HTTP " + status + (title == null ? "" : ": " + title) + (detail == null ? "" : ": " + detail));
        this.status = status;
        this.title = title;
        this.detail = detail;
    }

    /** From a non-201 answer: a problem+json body's title and detail; another body (if short) is the detail. */
    static TunnelRefusedException fromAnswer(int status, String body) {
        String text = body == null ? "" : body.strip();
        if (text.startsWith("{")) {
            return new TunnelRefusedException(status, Json.stringField(text, "title"), Json.stringField(text, "detail"));
        }
        return new TunnelRefusedException(status, null, text.isEmpty() || text.length() > 300 ? null : text);
    }

    public int status() {
        return status;
    }

    /** The problem's short summary, or null if the answer had none. */
    public String title() {
        return title;
    }

    /** What was wrong with this request (e.g. which port is not allowed), or null. */
    public String detail() {
        return detail;
    }
}
