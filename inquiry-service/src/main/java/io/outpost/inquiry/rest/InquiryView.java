package io.outpost.inquiry.rest;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.inquiry.Inquiry;
import io.outpost.inquiry.InquiryState;
import io.outpost.rest.MessageBody;

/** An inquiry as the API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A device's inquiry and where it stands")
public record InquiryView(
        String id,
        String tenant,
        String device,
        @Schema(description = "The inquiry name, e.g. weather") String name,
        @Schema(description = "The device's own id for it (the last level of its topic)") String requestId,
        @Schema(description = "one-shot (one answer) or continuing (answers until it ends)") String kind,
        @Schema(description = "OPEN, ANSWERED, STREAMING, ENDED, CANCELLED, EXPIRED or FAILED") InquiryState state,
        Instant stateAt,
        @Schema(description = "Why, e.g. cancelled by the device, no handler for weather") String reason,
        Instant openedAt,
        @Schema(description = "When it ends unless it ended before") Instant expiresAt,
        @Schema(description = "webhook or kafka, as when it was opened; absent when nobody handled it") String handler,
        @Schema(description = "Answers sent to the device so far") long answers,
        Instant lastAnswerAt,
        String contentType,
        @Schema(description = "What the device asked, when it is JSON") JsonNode payload,
        @Schema(description = "What the device asked, base64, when it is not JSON") String payloadBase64) {

    public static InquiryView of(Inquiry inquiry, ObjectMapper json) {
        MessageBody.Shown shown = MessageBody.show(inquiry.contentType, inquiry.payload, json);
        return new InquiryView(inquiry.id, inquiry.tenantId, inquiry.deviceId, inquiry.name, inquiry.requestId,
                inquiry.continuing ? "continuing" : "one-shot", inquiry.state, inquiry.stateAt, inquiry.stateReason,
                inquiry.openedAt, inquiry.expiresAt,
                inquiry.handlerKind == null ? null : inquiry.handlerKind.name().toLowerCase(), inquiry.answers,
                inquiry.lastAnswerAt, inquiry.contentType, shown.json(), shown.base64());
    }
}
