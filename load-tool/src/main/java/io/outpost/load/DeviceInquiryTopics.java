package io.outpost.load;

import io.outpost.contracts.InquiryAnswerType;
import io.outpost.contracts.InquiryTopics;

/**
 * A device's inquiry topics, in full ({@code devices/{device}/inquiries/...}; the levels below the device are the
 * contract's, {@link InquiryTopics}).
 */
final class DeviceInquiryTopics {
    private DeviceInquiryTopics() {
    }

    /** An answer as the device got it: its request id and whether more follow. */
    record Response(String device, String requestId, InquiryAnswerType type) {
    }

    /** Ask once: {@code devices/{d}/inquiries/request/{name}/{requestId}}. */
    static String request(String device, String name, String requestId) {
        return "devices/" + device + "/inquiries/request/" + name + "/" + requestId;
    }

    /** Ask for answers until it ends: {@code devices/{d}/inquiries/subscribe/{name}/{requestId}}. */
    static String subscribe(String device, String name, String requestId) {
        return "devices/" + device + "/inquiries/subscribe/" + name + "/" + requestId;
    }

    /** Where a device's answers come: {@code devices/{d}/inquiries/response/#}. */
    static String responses(String device) {
        return "devices/" + device + "/" + InquiryTopics.RESPONSE_PREFIX + "#";
    }

    /** Where the answer of one request comes ({@code .../response/{requestId}/{type}}). */
    static String response(String device, String requestId, InquiryAnswerType type) {
        return "devices/" + device + "/" + InquiryTopics.response(requestId, type);
    }

    /** The response a topic names; null if it is not {@code devices/{d}/inquiries/response/{requestId}/{type}}. */
    static Response parse(String topic) {
        String[] levels = topic.split("/", -1);
        if (levels.length != 6 || !levels[0].equals("devices")) {
            return null;
        }
        String below = topic.substring(levels[0].length() + levels[1].length() + 2);
        String requestId = InquiryTopics.requestIdOf(below);
        InquiryAnswerType type = InquiryAnswerType.fromLevel(levels[5]);
        return requestId == null || type == null ? null : new Response(levels[1], requestId, type);
    }
}
