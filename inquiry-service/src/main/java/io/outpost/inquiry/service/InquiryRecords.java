package io.outpost.inquiry.service;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.Identifiers;
import io.outpost.contracts.InquiryAnswerType;
import io.outpost.contracts.InquiryEvent;
import io.outpost.contracts.InquiryEventType;
import io.outpost.contracts.InquiryTopics;
import io.outpost.contracts.MessageKind;
import io.outpost.contracts.OutboundMessage;
import io.outpost.contracts.Topics;
import io.outpost.inquiry.Inquiry;
import io.outpost.inquiry.InquiryState;
import io.outpost.mailbox.MailboxConfig;
import io.outpost.mailbox.MessageIds;
import io.outpost.mailbox.Outbox;
import io.outpost.messaging.CloudEventRecords;

/** What an inquiry becomes on Kafka: answers for the device's mailbox, and its events. */
@ApplicationScoped
public class InquiryRecords {
    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";

    @Inject
    MailboxConfig mailbox;
    @Inject
    ObjectMapper json;

    /** An answer on {@code inquiries/response/{requestId}/{type}}, waiting at most {@code ttl} for the device. */
    OutboundMessage answer(Inquiry inquiry, InquiryAnswerType type, String contentType, byte[] payload, Instant now,
            Duration ttl) {
        return new OutboundMessage(MessageIds.next(), inquiry.tenantId, inquiry.deviceId, MessageKind.INQUIRY_RESPONSE,
                InquiryTopics.response(inquiry.requestId, type), now, now.plus(ttl), contentType, payload);
    }

    /**
     * The payload of a last answer that ends a stream without one of the backend's: why it ended, in words for the
     * device (the inquiry's own reason may name a tenant's user, which the device has no business knowing).
     */
    byte[] ending(Inquiry inquiry) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("inquiry", inquiry.id);
        body.put("state", inquiry.state.name());
        body.put("reason", inquiry.state == InquiryState.EXPIRED ? "its lifetime ended" : "ended by the backend");
        return write(body);
    }

    /** An RFC 9457 problem for the device: why its inquiry failed. */
    byte[] problem(Inquiry inquiry, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("detail", detail);
        body.put("inquiry", inquiry.id);
        body.put("requestId", inquiry.requestId);
        return write(body);
    }

    Outbox.ReadyRecord event(Inquiry inquiry, InquiryEventType type, Instant at) {
        InquiryEvent event = new InquiryEvent(inquiry.id, inquiry.tenantId, inquiry.deviceId, inquiry.name,
                inquiry.requestId, inquiry.continuing, type, at, inquiry.openedAt, inquiry.expiresAt, inquiry.answers,
                inquiry.stateReason);
        Map<String, String> headers = CloudEventRecords.attributes(
                inquiry.id + "-" + type.name().toLowerCase(Locale.ROOT), mailbox.source(), CloudEventTypes.INQUIRY_EVENT,
                at, inquiry.tenantId, inquiry.deviceId, JSON);
        headers.put(CloudEventHeaders.SUBJECT, inquiry.id);
        return new Outbox.ReadyRecord(Topics.INQUIRY_EVENTS,
                inquiry.tenantId + Identifiers.KEY_SEPARATOR + inquiry.deviceId, headers, write(event));
    }

    private byte[] write(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an inquiry record always serializes", e);
        }
    }
}
