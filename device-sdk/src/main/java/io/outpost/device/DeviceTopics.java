package io.outpost.device;

import java.util.regex.Pattern;

/** The device's topics, all below {@code devices/{device}/} (ARCHITECTURE.md, device-facing MQTT contract). */
final class DeviceTopics {
    private static final Pattern LEVEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Inquiry answers arrive on {@code inquiries/response/{requestId}/{type}} (contracts' {@code InquiryTopics}). */
    private static final String INQUIRY_RESPONSE = "inquiries/response/";
    /** Tunnel requests (docs/remote-access.md, "The device's side"). */
    private static final String REMOTE_ACCESS_TUNNELS = "remote-access/tunnels/";

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

    /** The platform's tunnel requests arrive on {@code remote-access/tunnels/{tunnelId}}. */
    String remoteAccessTunnels() {
        return prefix + REMOTE_ACCESS_TUNNELS + "+";
    }

    /** True for a topic below {@code devices/{device}/} that is a tunnel request's. */
    static boolean isTunnelRequest(String relative) {
        return relative.startsWith(REMOTE_ACCESS_TUNNELS) && relative.length() > REMOTE_ACCESS_TUNNELS.length()
                && relative.indexOf('/', REMOTE_ACCESS_TUNNELS.length()) < 0;
    }

    String inquiryResponses() {
        return prefix + INQUIRY_RESPONSE + "#";
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

    /**
     * The request id and answer type of a topic below {@code devices/{device}/} that is an inquiry answer's
     * ({@code inquiries/response/{requestId}/{type}}, {@code type} one of {@code answer}, {@code last},
     * {@code error}); null for any other topic, an unknown type included.
     */
    static InquiryResponse inquiryResponse(String relative) {
        if (relative == null || !relative.startsWith(INQUIRY_RESPONSE)) {
            return null;
        }
        String[] levels = relative.substring(INQUIRY_RESPONSE.length()).split("/", -1);
        if (levels.length != 2 || levels[0].isEmpty()) {
            return null;
        }
        AnswerType type = AnswerType.fromLevel(levels[1]);
        return type == null ? null : new InquiryResponse(levels[0], type);
    }

    /** An inquiry answer's topic, parsed. */
    record InquiryResponse(String requestId, AnswerType type) {
    }

    /** The last level of an inquiry answer's topic (contracts' {@code InquiryAnswerType}). */
    enum AnswerType {
        /** An answer of a continuing inquiry; more may follow. */
        ANSWER("answer"),
        /** The one answer of a one-shot inquiry, or the end of a continuing one; nothing follows. */
        LAST("last"),
        /** The inquiry failed (no handler, handler error or timeout, rate limit); a problem+json payload says why. */
        ERROR("error");

        private final String level;

        AnswerType(String level) {
            this.level = level;
        }

        String level() {
            return level;
        }

        static AnswerType fromLevel(String level) {
            for (AnswerType type : values()) {
                if (type.level.equals(level)) {
                    return type;
                }
            }
            return null;
        }
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
