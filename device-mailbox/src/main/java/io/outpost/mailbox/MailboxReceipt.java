package io.outpost.mailbox;

import io.outpost.contracts.DeliveryReceipt;

/**
 * Fired (synchronous CDI event) for every delivery receipt of the owner's kind, inside the transaction that applied
 * it, so an owner can keep its own delivery state, e.g. per device for a message addressed to a group, whose id has no
 * row in the mailbox.
 *
 * @param changedMailbox whether the receipt moved a mailbox message out of PENDING (a {@link MailboxTransition} was
 *                       fired for it too)
 */
public record MailboxReceipt(DeliveryReceipt receipt, boolean changedMailbox) {
}
