package io.outpost.inquiry.rest;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.outpost.inquiry.InquiryHandler;

/** A handler as the API shows it; its secret only in the response of the PUT that set it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Who answers the tenant's inquiries of one name")
public record HandlerView(
        String name,
        @Schema(description = "webhook or kafka") String kind,
        String url,
        @Schema(description = "Only in the response of the PUT that set it; store it now, it is never shown again")
        String secret,
        String timeout,
        String defaultLifetime,
        String answerTtl,
        boolean latestOnly,
        Instant updatedAt,
        String updatedBy) {

    public static HandlerView of(InquiryHandler handler, String shownSecret) {
        boolean webhook = handler.url != null;
        return new HandlerView(handler.name, handler.kind.name().toLowerCase(), handler.url, shownSecret,
                webhook ? handler.timeout().toString() : null, handler.defaultLifetime().toString(),
                handler.answerTtl().toString(), handler.latestOnly, handler.updatedAt, handler.updatedBy);
    }
}
