package io.outpost.mailbox;

import java.time.Instant;

import io.outpost.contracts.MessageKind;

/**
 * Fired (synchronous CDI event) inside the transaction that moved a message out of PENDING, so its owner can update
 * its own state in the same transaction. The message row is locked by then: owners lock their rows after it.
 *
 * @param streamKey the stream the message was stored in, or null
 */
public record MailboxTransition(
        String messageId,
        MessageKind kind,
        String tenant,
        String device,
        MailboxState to,
        Instant at,
        String reason,
        String streamKey) {
}
