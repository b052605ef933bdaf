package io.outpost.inquiry.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.outpost.inquiry.EarlyAnswer;
import io.outpost.inquiry.Inquiry;
import io.outpost.mailbox.Clock;
import io.outpost.mailbox.Mailbox;
import io.outpost.mailbox.MailboxFullException;
import io.outpost.rest.ProblemException;

/** Answers and ends from the tenant's backends, over REST or Kafka. */
@ApplicationScoped
public class InquiryAnswers {
    @Inject
    InquiryLifecycle lifecycle;
    @Inject
    Mailbox mailbox;

    /** What became of a Kafka handler's answer. */
    public enum Outcome {
        APPLIED,
        /** The inquiry had ended (answered, cancelled, expired...): nothing was sent. */
        ENDED,
        /** The device's mailbox was full: nothing was sent. */
        MAILBOX_FULL,
        /**
         * Its inquiry is not stored (yet: a backend may answer before the service stored it): it waits for the inquiry
         * to open, and is dropped after {@code early-answer-retention} if it never does.
         */
        PARKED
    }

    /** An answer over REST: 409 once the inquiry ended, 429 when the device's mailbox is full. */
    @Transactional
    public Inquiry answer(String tenant, String id, Answer answer) {
        Inquiry inquiry = lifecycle.lock(find(tenant, id));
        requireLive(inquiry);
        try {
            lifecycle.answer(inquiry, answer, Clock.now());
        } catch (MailboxFullException e) {
            throw new ProblemException(429, "Too many requests", e.getMessage()
                    + "; wait until the device has some of its answers, or send latest-only answers", List.of());
        }
        return inquiry;
    }

    /** An answer on Kafka, naming its inquiry by the device's request id. */
    public record KafkaAnswer(String tenant, String device, String requestId, Answer answer) {
    }

    /**
     * Answers on Kafka, in order, in one transaction; the devices' mailboxes are locked first, all at once and in the
     * library's order, so this cannot deadlock with another batch or a session lane.
     *
     * @return per answer, what became of it
     */
    @Transactional
    public List<Outcome> answerAll(List<KafkaAnswer> batch) {
        mailbox.lockDevices(batch.stream().map(answer -> answer.tenant() + "/" + answer.device()).toList());
        Instant now = Clock.now();
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        for (KafkaAnswer answer : batch) {
            Optional<Inquiry> found = InquiryIntake.find(answer.tenant(), answer.device(), answer.requestId());
            if (found.isEmpty()) {
                park(answer, now);
                outcomes.add(Outcome.PARKED);
                continue;
            }
            Inquiry inquiry = lifecycle.lock(found.get());
            if (!inquiry.state.live()) {
                outcomes.add(Outcome.ENDED);
            } else if (!lifecycle.hasRoom(inquiry, "kafka")) {
                outcomes.add(Outcome.MAILBOX_FULL);
            } else {
                lifecycle.answer(inquiry, answer.answer(), now);
                outcomes.add(Outcome.APPLIED);
            }
        }
        return outcomes;
    }

    private static void park(KafkaAnswer answer, Instant now) {
        EarlyAnswer early = new EarlyAnswer();
        early.tenantId = answer.tenant();
        early.deviceId = answer.device();
        early.requestId = answer.requestId();
        early.answerType = answer.answer().type();
        early.contentType = answer.answer().contentType();
        early.payload = answer.answer().payload();
        early.ttlMillis = answer.answer().ttl() == null ? null : answer.answer().ttl().toMillis();
        early.latestOnly = answer.answer().latestOnly();
        early.receivedAt = now;
        early.persist();
    }

    /** The backend ends the inquiry (DELETE): the device gets a last answer saying so; 409 once it ended. */
    @Transactional
    public Inquiry end(String tenant, String id, String caller) {
        Inquiry inquiry = lifecycle.lock(find(tenant, id));
        requireLive(inquiry);
        lifecycle.end(inquiry, Clock.now(), "ended by " + caller);
        return inquiry;
    }

    /** The tenant's inquiry; 404 for another tenant's, exactly as for one that does not exist. */
    public Inquiry find(String tenant, String id) {
        Inquiry inquiry = Inquiry.findById(id);
        if (inquiry == null || !inquiry.tenantId.equals(tenant)) {
            throw ProblemException.notFound("inquiry " + id + " not found");
        }
        return inquiry;
    }

    private static void requireLive(Inquiry inquiry) {
        if (!inquiry.state.live()) {
            throw ProblemException.conflict("inquiry " + inquiry.id + " is " + inquiry.state
                    + " (" + inquiry.stateReason + "); it takes no more answers");
        }
    }
}
