package io.outpost.inquiry;

/** How a tenant's inquiries of one name are answered. */
public enum HandlerKind {
    /** The service POSTs each inquiry to the tenant's HTTPS URL, signed; the response may carry the answer. */
    WEBHOOK,
    /** The tenant's backends read {@code outpost.inquiries.v1} and answer over REST or {@code outpost.inquiry-answers.v1}. */
    KAFKA
}
