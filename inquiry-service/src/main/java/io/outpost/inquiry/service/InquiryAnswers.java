package io.outpost.inquiry.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.outpost.inquiry.Inquiry;
import io.outpost.mailbox.Clock;
import io.outpost.mailbox.MailboxFullException;
import io.outpost.rest.ProblemException;

/** Answers and ends from the tenant's backends, over REST or Kafka. */
@ApplicationScoped
public class InquiryAnswers {
    @Inject
    InquiryLifecycle lifecycle;

    /** What became of a Kafka handler's answer. */
    public enum Outcome {
        APPLIED,
        /** The inquiry had ended (answered, cancelled, expired...): nothing was sent. */
        ENDED,
        /** The device's mailbox was full: nothing was sent. */
        MAILBOX_FULL
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

    /**
     * An answer on Kafka, naming the inquiry by the device's request id.
     *
     * @throws IllegalStateException if there is no such inquiry (yet: the caller retries for a moment)
     */
    @Transactional
    public Outcome answerRequest(String tenant, String device, String requestId, Answer answer) {
        Inquiry inquiry = lifecycle.lock(InquiryIntake.find(tenant, device, requestId).orElseThrow(
                () -> new IllegalStateException("no inquiry " + requestId + " of " + tenant + "/" + device)));
        if (!inquiry.state.live()) {
            return Outcome.ENDED;
        }
        if (!lifecycle.hasRoom(inquiry, "kafka")) {
            return Outcome.MAILBOX_FULL;
        }
        lifecycle.answer(inquiry, answer, Clock.now());
        return Outcome.APPLIED;
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
