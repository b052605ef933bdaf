package io.outpost.contracts;

import java.time.Instant;

/**
 * A JSON record on {@link Topics#DELIVERY_RECEIPTS}, keyed {@code {tenant}/{device}}.
 *
 * @param messageId the {@link OutboundMessage#id()} it reports on
 * @param kind      the message's kind, so each owner can skip the others' receipts cheaply
 * @param status    what happened
 * @param at        when it happened
 * @param node      the bridge node that reports it
 * @param reason    human-readable detail for EXPIRED, REJECTED and UNDELIVERABLE, otherwise null
 */
public record DeliveryReceipt(
        String messageId,
        String tenant,
        String device,
        MessageKind kind,
        DeliveryStatus status,
        Instant at,
        String node,
        String reason) {
}
