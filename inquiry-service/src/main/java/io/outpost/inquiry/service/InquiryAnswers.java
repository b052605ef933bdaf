package io.outpost.inquiry.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.outpost.inquiry.EarlyAnswer;
import io.outpost.inquiry.Inquiry;
import io.outpost.inquiry.repository.RequestKeys;
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

    /** One answer of a batch that goes to the device's mailbox. */
    private record Candidate(int index, Inquiry inquiry, InquiryLifecycle.Prepared prepared, String by) {
    }

    /**
     * Answers on Kafka, in order, in one transaction and a few statements: the devices' mailboxes are locked first, all
     * at once and in the library's order (so this cannot deadlock with another batch or a session lane), the batch's
     * inquiries read in one query, its messages stored together. Of a latest-only stream only the batch's newest
     * answer is stored, replacing what waits.
     *
     * @return per answer, what became of it
     */
    @Transactional
    public List<Outcome> answerAll(List<KafkaAnswer> batch) {
        mailbox.lockDevices(batch.stream().map(answer -> answer.tenant() + "/" + answer.device()).toList());
        Instant now = Clock.now();
        Map<RequestKeys.Key, Inquiry> inquiries = RequestKeys.inquiries(batch.stream().map(answer -> new RequestKeys.Key(
                answer.tenant(), answer.device(), answer.requestId())).toList());
        Outcome[] outcomes = new Outcome[batch.size()];
        List<Candidate> candidates = new ArrayList<>();
        Set<String> ending = new HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            KafkaAnswer answer = batch.get(i);
            Inquiry inquiry = inquiries.get(new RequestKeys.Key(answer.tenant(), answer.device(), answer.requestId()));
            if (inquiry == null) {
                park(answer, now);
                outcomes[i] = Outcome.PARKED;
            } else if (!inquiry.state.live() || ending.contains(inquiry.id)) {
                outcomes[i] = Outcome.ENDED;
            } else {
                InquiryLifecycle.Prepared prepared = lifecycle.prepare(inquiry, answer.answer(), now);
                if (prepared.type().ends()) {
                    ending.add(inquiry.id);
                }
                candidates.add(new Candidate(i, inquiry, prepared, answer.answer().by()));
            }
        }
        Map<String, Candidate> newest = new HashMap<>();
        candidates.stream().filter(c -> c.prepared().latestOnly()).forEach(c -> newest.put(c.inquiry().id, c));
        newest.values().forEach(c -> mailbox.cancelStream(c.inquiry().tenantId, c.inquiry().deviceId, c.inquiry().id,
                now, "replaced by " + c.prepared().message().id()));
        List<Candidate> stored = candidates.stream()
                .filter(c -> !c.prepared().latestOnly() || newest.get(c.inquiry().id) == c).toList();
        List<Boolean> fits = lifecycle.store(stored.stream().map(Candidate::inquiry).toList(),
                stored.stream().map(Candidate::prepared).toList());
        Set<Candidate> full = new HashSet<>();
        for (int i = 0; i < stored.size(); i++) {
            if (!fits.get(i)) {
                full.add(stored.get(i));
            }
        }
        for (Candidate candidate : candidates) {
            if (full.contains(candidate)) {
                lifecycle.mailboxFull(candidate.inquiry(), "kafka");
                outcomes[candidate.index()] = Outcome.MAILBOX_FULL;
            } else {
                lifecycle.answered(candidate.inquiry(), candidate.prepared().type(), candidate.by(), now);
                outcomes[candidate.index()] = Outcome.APPLIED;
            }
        }
        return List.of(outcomes);
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
