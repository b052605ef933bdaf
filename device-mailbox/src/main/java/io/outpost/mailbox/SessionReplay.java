package io.outpost.mailbox;

import io.outpost.contracts.DeviceSessionEvent;

/**
 * What an owner re-publishes for a device on a session event beyond the device's own mailbox messages, e.g. the live
 * notifications addressed to a group the device belongs to. Implementations are CDI beans; the mailbox calls each
 * inside its transaction, holding the device's lock, after it re-published the device's own messages, and only for
 * the device's current session. They publish through {@link Outbox#append}.
 */
public interface SessionReplay {
    void sessionStarted(DeviceSessionEvent event);
}
