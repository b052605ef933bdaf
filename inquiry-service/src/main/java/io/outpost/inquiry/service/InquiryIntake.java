package io.outpost.inquiry.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.outpost.contracts.InquiryEventType;
import io.outpost.inquiry.EarlyAnswer;
import io.outpost.inquiry.HandlerKind;
import io.outpost.inquiry.Inquiry;
import io.outpost.inquiry.InquiryHandler;
import io.outpost.inquiry.InquiryState;
import io.outpost.inquiry.config.InquiryConfig;
import io.outpost.inquiry.repository.RequestKeys;
import io.outpost.mailbox.Clock;
import io.outpost.mailbox.Mailbox;
import io.outpost.mailbox.MessageIds;
import io.outpost.mailbox.Outbox;

/**
 * What devices ask and cancel, as the bridge forwards it. An inquiry is stored OPEN and handed to its handler; one
 * nobody handles, or one over the device's rate, fails at once with an error answer. A request id the device used
 * recently is the same inquiry: it is not asked or answered again.
 */
@ApplicationScoped
public class InquiryIntake {
    /** How long after a webhook's timeout a call that was not applied is made again (its node died meanwhile). */
    static final Duration DISPATCH_LEASE = Duration.ofSeconds(10);

    @Inject
    Mailbox mailbox;
    @Inject
    Outbox outbox;
    @Inject
    InquiryLifecycle lifecycle;
    @Inject
    InquiryRecords records;
    @Inject
    WebhookBodies webhooks;
    @Inject
    OpenRate rate;
    @Inject
    InquiryConfig config;

    /**
     * Applies what devices published, in order, in one transaction; the devices' mailboxes are locked first, all at
     * once and in the library's order, so this cannot deadlock with answers or session lanes.
     *
     * @return per request, the webhook call to make once this committed, if any
     */
    @Transactional
    public List<Optional<WebhookCall>> applyAll(List<DeviceRequest> requests) {
        mailbox.lockDevices(requests.stream().map(request -> request.tenant() + "/" + request.device()).toList());
        Batch batch = new Batch(requests);
        List<Optional<WebhookCall>> calls = new ArrayList<>(requests.size());
        for (DeviceRequest request : requests) {
            calls.add(request instanceof Asked asked ? open(asked, batch) : cancel((DeviceRequest.Cancel) request, batch));
        }
        return calls;
    }

    /** What a batch of requests needs from the database, read after the devices' locks were taken. */
    private static final class Batch {
        private final Map<RequestKeys.Key, Inquiry> inquiries;
        private final Map<RequestKeys.Key, List<EarlyAnswer>> early;

        Batch(List<DeviceRequest> requests) {
            List<RequestKeys.Key> keys = requests.stream().map(request -> new RequestKeys.Key(request.tenant(),
                    request.device(), request instanceof Asked asked ? asked.requestId()
                            : ((DeviceRequest.Cancel) request).requestId())).distinct().toList();
            inquiries = RequestKeys.inquiries(keys);
            early = RequestKeys.earlyAnswers(keys);
        }

        Optional<Inquiry> inquiry(String tenant, String device, String requestId) {
            return Optional.ofNullable(inquiries.get(new RequestKeys.Key(tenant, device, requestId)));
        }

        void put(Inquiry inquiry) {
            inquiries.put(RequestKeys.Key.of(inquiry), inquiry);
        }

        List<EarlyAnswer> earlyAnswers(Inquiry inquiry) {
            List<EarlyAnswer> answers = early.remove(RequestKeys.Key.of(inquiry));
            return answers == null ? List.of() : answers;
        }
    }

    private Optional<WebhookCall> open(Asked asked, Batch batch) {
        Instant now = Clock.now();
        Optional<Inquiry> earlier = batch.inquiry(asked.tenant(), asked.device(), asked.requestId());
        if (earlier.isPresent() && !reused(earlier.get(), now)) {
            return Optional.empty();
        }
        InquiryHandler handler = InquiryHandler.find(asked.tenant(), asked.name());
        Inquiry inquiry = newInquiry(asked, handler, now);
        inquiry.persist();
        batch.put(inquiry);
        outbox.appendAll(List.of(records.event(inquiry, InquiryEventType.OPENED, now)));
        if (asked.at() != null && asked.at().plus(lifetime(asked, handler)).isBefore(now)) {
            lifecycle.expire(inquiry, now);
            return Optional.empty();
        }
        if (!rate.tryOpen(asked.tenant(), asked.device())) {
            lifecycle.fail(inquiry, now, "Too many inquiries", "the device opened more than " + config.openBurst()
                    + " inquiries at once or " + config.openRate() + " per second");
            return Optional.empty();
        }
        applyEarlyAnswers(inquiry, batch.earlyAnswers(inquiry), now);
        if (!inquiry.state.live()) {
            return Optional.empty();
        }
        if (handler == null) {
            if (inquiry.answers == 0) {
                lifecycle.fail(inquiry, now, "No handler", "nobody answers inquiries named " + asked.name());
            }
        } else if (handler.kind == HandlerKind.WEBHOOK) {
            inquiry.dispatchDueAt = now.plus(handler.timeout()).plus(DISPATCH_LEASE);
            return Optional.of(webhooks.opened(inquiry, handler));
        }
        return Optional.empty();
    }

    /**
     * Whether a request id the device used before starts a new inquiry. A repeat while the earlier one is live, or
     * within {@code duplicate-window} of its end, is the same question sent again (the device reconnected and
     * re-published it): its answers come, or came, once. Later the id is reused (a device that counts from 1 after
     * every boot): the earlier inquiry is forgotten and the question asked anew.
     */
    private boolean reused(Inquiry earlier, Instant now) {
        if (earlier.state.live() || earlier.stateAt.plus(config.duplicateWindow()).isAfter(now)) {
            return false;
        }
        earlier.delete();
        Inquiry.getEntityManager().flush();
        return true;
    }

    /** Answers of a Kafka handler that came before the inquiry was stored, in the order they came. */
    private void applyEarlyAnswers(Inquiry inquiry, List<EarlyAnswer> early, Instant now) {
        for (EarlyAnswer answer : early) {
            if (inquiry.state.live() && lifecycle.hasRoom(inquiry, "kafka")) {
                lifecycle.answer(inquiry, new Answer(answer.answerType, answer.contentType, answer.payload,
                        answer.ttl(), answer.latestOnly, "kafka"), now);
            }
            answer.delete();
        }
    }

    /**
     * The device cancelled a continuing inquiry: it ends CANCELLED and the device gets nothing more. A webhook handler
     * is told (once this committed); a Kafka one reads the cancel on {@code outpost.inquiries.v1} itself.
     */
    private Optional<WebhookCall> cancel(DeviceRequest.Cancel cancel, Batch batch) {
        Optional<Inquiry> found = batch.inquiry(cancel.tenant(), cancel.device(), cancel.requestId());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Inquiry inquiry = found.get();
        if (!inquiry.state.live()) {
            return Optional.empty();
        }
        lifecycle.cancel(inquiry, Clock.now(), "cancelled by the device");
        InquiryHandler handler = InquiryHandler.find(cancel.tenant(), inquiry.name);
        return handler != null && handler.kind == HandlerKind.WEBHOOK ? Optional.of(webhooks.cancelled(inquiry, handler))
                : Optional.empty();
    }

    private Inquiry newInquiry(Asked asked, InquiryHandler handler, Instant now) {
        Inquiry inquiry = new Inquiry();
        inquiry.id = MessageIds.next();
        inquiry.tenantId = asked.tenant();
        inquiry.deviceId = asked.device();
        inquiry.name = asked.name();
        inquiry.requestId = asked.requestId();
        inquiry.continuing = asked.continuing();
        inquiry.contentType = asked.contentType();
        inquiry.payload = asked.payload();
        inquiry.state = InquiryState.OPEN;
        inquiry.stateAt = now;
        inquiry.openedAt = now;
        inquiry.expiresAt = now.plus(lifetime(asked, handler));
        inquiry.handlerKind = handler == null ? null : handler.kind;
        return inquiry;
    }

    private Duration lifetime(Asked asked, InquiryHandler handler) {
        if (!asked.continuing()) {
            return config.oneShotLifetime();
        }
        Duration lifetime = asked.lifetime() != null ? asked.lifetime()
                : handler != null ? handler.defaultLifetime() : config.defaultLifetime();
        return lifetime.compareTo(config.maxLifetime()) > 0 ? config.maxLifetime() : lifetime;
    }
}
