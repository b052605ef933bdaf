package io.outpost.device;

import java.util.regex.Pattern;

/** The device's topics, all below {@code devices/{device}/} (ARCHITECTURE.md, device-facing MQTT contract). */
final class DeviceTopics {
    private static final Pattern LEVEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final String prefix;

    DeviceTopics(String device) {
        this.prefix = "devices/" + device + "/";
    }

    String telemetry(String stream) {
        return stream == null ? prefix + "telemetry" : prefix + "telemetry/" + level("stream", stream);
    }

    String commandRequests() {
        return prefix + "commands/request/#";
    }

    String commandResponse(String commandId, String status) {
        return prefix + "commands/response/" + commandId + "/" + status;
    }

    String notifications() {
        return prefix + "notifications/#";
    }

    String inquiryResponses() {
        return prefix + "inquiries/response/#";
    }

    String inquiryRequest(String name, String requestId) {
        return prefix + "inquiries/request/" + level("inquiry name", name) + "/" + requestId;
    }

    String inquirySubscribe(String name, String requestId) {
        return prefix + "inquiries/subscribe/" + level("inquiry name", name) + "/" + requestId;
    }

    String inquiryCancel(String requestId) {
        return prefix + "inquiries/cancel/" + requestId;
    }

    /** The topic below {@code devices/{device}/}, or null if the topic is not this device's. */
    String relative(String topic) {
        return topic.startsWith(prefix) ? topic.substring(prefix.length()) : null;
    }

    private static String level(String what, String value) {
        if (!LEVEL.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be one topic level matching " + LEVEL + ": " + value);
        }
        return value;
    }
}
