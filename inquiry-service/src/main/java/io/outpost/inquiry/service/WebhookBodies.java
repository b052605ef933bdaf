package io.outpost.inquiry.service;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.inquiry.Inquiry;
import io.outpost.inquiry.InquiryHandler;
import io.outpost.rest.MessageBody;

/** What a webhook receives (docs/inquiry-api.md): the inquiry as JSON, with the device's payload. */
@ApplicationScoped
public class WebhookBodies {
    @Inject
    ObjectMapper json;
    @Inject
    SecretBox secrets;

    WebhookCall opened(Inquiry inquiry, InquiryHandler handler) {
        return new WebhookCall(inquiry.id, inquiry.tenantId, inquiry.deviceId, handler.url,
                secrets.open(handler.secret), handler.timeout(), body(inquiry, "opened"), true);
    }

    WebhookCall cancelled(Inquiry inquiry, InquiryHandler handler) {
        return new WebhookCall(inquiry.id, inquiry.tenantId, inquiry.deviceId, handler.url,
                secrets.open(handler.secret), handler.timeout(), body(inquiry, "cancelled"), false);
    }

    private byte[] body(Inquiry inquiry, String event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event);
        body.put("inquiryId", inquiry.id);
        body.put("tenant", inquiry.tenantId);
        body.put("device", inquiry.deviceId);
        body.put("name", inquiry.name);
        body.put("requestId", inquiry.requestId);
        body.put("kind", inquiry.continuing ? "continuing" : "one-shot");
        body.put("openedAt", inquiry.openedAt.toString());
        body.put("expiresAt", inquiry.expiresAt.toString());
        body.put("contentType", inquiry.contentType);
        MessageBody.Shown shown = MessageBody.show(inquiry.contentType, inquiry.payload, json);
        if (shown.json() != null) {
            body.put("payload", shown.json());
        } else if (shown.base64() != null) {
            body.put("payloadBase64", shown.base64());
        }
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a webhook body always serializes", e);
        }
    }
}
