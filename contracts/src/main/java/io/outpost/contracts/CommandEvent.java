package io.outpost.contracts;

import java.time.Instant;

/**
 * One state transition of a command: a JSON record on {@link Topics#COMMAND_EVENTS}, keyed {@code {tenant}/{device}}
 * (so one device's events keep their order), {@code ce_type} {@link CloudEventTypes#COMMAND_EVENT},
 * {@code ce_subject} the command id and {@code ce_id} {@code {commandId}-{n}} for its n-th transition.
 *
 * @param previousState null for the first event (the command was accepted as PENDING)
 * @param at            when the transition happened
 * @param reason        human-readable cause, e.g. {@code delivery receipt from node-1}, {@code cancelled by alice}
 * @param replyDeadline when a DELIVERED command times out; null before delivery
 * @param result        the device's reply, on SUCCEEDED and FAILED; otherwise null
 */
public record CommandEvent(
        String commandId,
        String tenant,
        String device,
        String name,
        CommandState state,
        CommandState previousState,
        Instant at,
        String reason,
        Instant createdAt,
        Instant expiresAt,
        Instant replyDeadline,
        CommandResult result) {
}
