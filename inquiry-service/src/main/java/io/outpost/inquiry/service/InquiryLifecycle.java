package io.outpost.inquiry.service;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.contracts.InquiryAnswerType;
import io.outpost.contracts.InquiryEventType;
import io.outpost.contracts.OutboundMessage;
import io.outpost.inquiry.Inquiry;
import io.outpost.inquiry.InquiryHandler;
import io.outpost.inquiry.InquiryState;
import io.outpost.inquiry.config.InquiryConfig;
import io.outpost.mailbox.Mailbox;
import io.outpost.mailbox.MailboxConfig;
import io.outpost.mailbox.Outbox;

/**
 * An inquiry's moves and what the device gets with each: answers through its mailbox (stream key = the inquiry id),
 * the last answer when it ends, an error when it fails, nothing more once the device cancelled. Every method runs in
 * the caller's transaction, after {@link #lock}: the device's mailbox first, then the inquiry's row.
 */
@ApplicationScoped
public class InquiryLifecycle {
    private static final Logger LOG = Logger.getLogger(InquiryLifecycle.class);

    @Inject
    Mailbox mailbox;
    @Inject
    MailboxConfig mailboxConfig;
    @Inject
    Outbox outbox;
    @Inject
    InquiryRecords records;
    @Inject
    InquiryConfig config;
    @Inject
    MeterRegistry metrics;

    /** Locks the device's mailbox, then the inquiry's row, and reads it again. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Inquiry lock(Inquiry inquiry) {
        mailbox.lockDevice(inquiry.tenantId, inquiry.deviceId);
        Inquiry.getEntityManager().refresh(inquiry, LockModeType.PESSIMISTIC_WRITE);
        return inquiry;
    }

    /** An answer ready for the device's mailbox: its message, and whether it replaces a pending one of the stream. */
    public record Prepared(InquiryAnswerType type, OutboundMessage message, boolean latestOnly) {
    }

    /**
     * Sends a handler's answer to the device and moves the inquiry on: a one-shot one to ANSWERED, a continuing one to
     * STREAMING (its first answer) or ENDED (its last), either to FAILED on an error answer.
     *
     * @throws io.outpost.mailbox.MailboxFullException if the device's mailbox is full
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void answer(Inquiry inquiry, Answer answer, Instant now) {
        Prepared prepared = prepare(inquiry, answer, now);
        mailbox.store(prepared.message(), inquiry.id, prepared.latestOnly());
        answered(inquiry, prepared.type(), answer.by(), now);
    }

    /** The answer as its message: a one-shot inquiry's is its last; ttl and latest-only by the answer, else the handler. */
    public Prepared prepare(Inquiry inquiry, Answer answer, Instant now) {
        InquiryAnswerType type = inquiry.continuing || answer.type() == InquiryAnswerType.ERROR ? answer.type()
                : InquiryAnswerType.LAST;
        InquiryHandler handler = InquiryHandler.find(inquiry.tenantId, inquiry.name);
        Duration ttl = answer.ttl() != null ? answer.ttl() : handler != null ? handler.answerTtl()
                : config.defaultAnswerTtl();
        boolean latestOnly = answer.latestOnly() != null ? answer.latestOnly() : handler != null && handler.latestOnly;
        return new Prepared(type, records.answer(inquiry, type, answer.contentType(), answer.payload(), now, ttl),
                latestOnly);
    }

    /**
     * Stores prepared answers together, each in its inquiry's stream; nothing pending is replaced.
     *
     * @return per answer, whether it fit its device's mailbox
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Boolean> store(List<Inquiry> inquiries, List<Prepared> answers) {
        Map<String, String> streams = new HashMap<>();
        for (int i = 0; i < answers.size(); i++) {
            streams.put(answers.get(i).message().id(), inquiries.get(i).id);
        }
        return mailbox.storeAll(answers.stream().map(Prepared::message).toList(), message -> streams.get(message.id()));
    }

    /** An answer of this type is in the device's mailbox: count it and move the inquiry on. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void answered(Inquiry inquiry, InquiryAnswerType type, String by, Instant now) {
        inquiry.answers++;
        inquiry.lastAnswerAt = now;
        switch (type) {
            case ANSWER -> {
                if (inquiry.state == InquiryState.OPEN) {
                    move(inquiry, InquiryState.STREAMING, now, "answered by " + by, InquiryEventType.STREAMING);
                }
            }
            case LAST -> {
                if (inquiry.continuing) {
                    move(inquiry, InquiryState.ENDED, now, "ended by " + by, InquiryEventType.ENDED);
                } else {
                    move(inquiry, InquiryState.ANSWERED, now, "answered by " + by, InquiryEventType.ANSWERED);
                }
            }
            case ERROR -> move(inquiry, InquiryState.FAILED, now, "error answer from " + by, InquiryEventType.FAILED);
        }
    }

    /** The backend ended a continuing inquiry: the device gets a last answer saying so. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void end(Inquiry inquiry, Instant now, String reason) {
        move(inquiry, InquiryState.ENDED, now, reason, InquiryEventType.ENDED);
        tell(inquiry, InquiryAnswerType.LAST, InquiryRecords.JSON, records.ending(inquiry), now);
    }

    /**
     * CANCELLED ("cancelled by the device", "device deleted"): the device gets nothing more, not even what waits in
     * its mailbox.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void cancel(Inquiry inquiry, Instant now, String reason) {
        move(inquiry, InquiryState.CANCELLED, now, reason, InquiryEventType.CANCELLED);
        mailbox.cancelStream(inquiry.tenantId, inquiry.deviceId, inquiry.id, now, "inquiry " + reason);
    }

    /** FAILED: the device gets an error answer ({@code application/problem+json}) with {@code title} and why. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void fail(Inquiry inquiry, Instant now, String title, String detail) {
        move(inquiry, InquiryState.FAILED, now, detail, InquiryEventType.FAILED);
        tell(inquiry, InquiryAnswerType.ERROR, InquiryRecords.PROBLEM_JSON, records.problem(inquiry, title, detail),
                now);
    }

    /**
     * Its lifetime ended: a continuing inquiry's device gets a last answer saying so, a one-shot one's (still without
     * an answer) an error.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void expire(Inquiry inquiry, Instant now) {
        if (inquiry.continuing) {
            move(inquiry, InquiryState.EXPIRED, now, "its lifetime ended", InquiryEventType.EXPIRED);
            tell(inquiry, InquiryAnswerType.LAST, InquiryRecords.JSON, records.ending(inquiry), now);
        } else {
            move(inquiry, InquiryState.EXPIRED, now, "no answer before it expired", InquiryEventType.EXPIRED);
            tell(inquiry, InquiryAnswerType.ERROR, InquiryRecords.PROBLEM_JSON, records.problem(inquiry,
                    "No answer", "the handler did not answer before the inquiry expired at " + inquiry.expiresAt), now);
        }
    }

    /**
     * Whether the device's mailbox has room for one more answer. An answer that arrives where nobody can be told
     * (a webhook's response, a Kafka record) and finds it full is dropped, logged and counted.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean hasRoom(Inquiry inquiry, String from) {
        if (mailbox.pending(inquiry.tenantId, inquiry.deviceId) < mailboxConfig.maxPendingPerDevice()) {
            return true;
        }
        mailboxFull(inquiry, from);
        return false;
    }

    /** An answer from {@code from} found the device's mailbox full: it is not sent (logged and counted). */
    public void mailboxFull(Inquiry inquiry, String from) {
        LOG.warnf("mailbox of %s/%s is full: an answer from %s to inquiry %s is not sent", inquiry.tenantId,
                inquiry.deviceId, from, inquiry.id);
        metrics.counter("outpost.inquiry.answers.dropped", "tenant", inquiry.tenantId, "reason", "mailbox-full")
                .increment();
    }

    private void move(Inquiry inquiry, InquiryState to, Instant now, String reason, InquiryEventType event) {
        inquiry.state = to;
        inquiry.stateAt = now;
        inquiry.stateReason = reason;
        if (!to.live()) {
            inquiry.dispatchDueAt = null;
        }
        outbox.appendAll(List.of(records.event(inquiry, event, now)));
    }

    /**
     * A message of the platform's own (an end, an error). A full mailbox cannot refuse it the way it refuses a
     * handler's answer (nobody to tell): it is dropped, logged and counted, and the inquiry's state still says why.
     */
    private void tell(Inquiry inquiry, InquiryAnswerType type, String contentType, byte[] payload, Instant now) {
        if (!hasRoom(inquiry, "the platform")) {
            return;
        }
        InquiryHandler handler = InquiryHandler.find(inquiry.tenantId, inquiry.name);
        Duration ttl = handler != null ? handler.answerTtl() : config.defaultAnswerTtl();
        mailbox.store(records.answer(inquiry, type, contentType, payload, now, ttl), inquiry.id, false);
    }
}
