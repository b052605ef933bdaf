package io.outpost.mailbox;

/** The device already has as many pending messages as the mailbox allows; nothing was stored. */
public class MailboxFullException extends RuntimeException {
    private final int limit;

    public MailboxFullException(String tenant, String device, int limit) {
        super("the mailbox of device " + device + " already holds " + limit + " pending messages");
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }
}
