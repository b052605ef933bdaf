package io.outpost.contracts;

/**
 * MQTT topics of inquiries below {@code devices/{device}/}. The device asks on {@code inquiries/request/{name}/{requestId}}
 * (one answer) or {@code inquiries/subscribe/{name}/{requestId}} (answers until it ends), cancels with
 * {@code inquiries/cancel/{requestId}}, and gets answers on {@code inquiries/response/{requestId}/{type}}, {@code type}
 * being {@code answer}, {@code last} or {@code error} ({@link InquiryAnswerType}).
 */
public final class InquiryTopics {
    public static final String RESPONSE_PREFIX = "inquiries/response/";

    private InquiryTopics() {
    }

    /** {@code inquiries/response/{requestId}/{type}}. */
    public static String response(String requestId, InquiryAnswerType type) {
        return RESPONSE_PREFIX + requestId + "/" + type.level();
    }

    /** The request id of a response topic (below {@code devices/{device}/}); null if it is not one. */
    public static String requestIdOf(String responseTopic) {
        if (responseTopic == null || !responseTopic.startsWith(RESPONSE_PREFIX)) {
            return null;
        }
        int slash = responseTopic.indexOf('/', RESPONSE_PREFIX.length());
        return slash <= RESPONSE_PREFIX.length() ? null : responseTopic.substring(RESPONSE_PREFIX.length(), slash);
    }
}
