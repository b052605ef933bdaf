package io.outpost.bridge.mqtt;

import java.util.List;

import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.Topics;

/**
 * The device-facing topic contract (ARCHITECTURE.md): a device may publish only to its own upstream topics and
 * subscribe only below {@code devices/{its id}/}, wildcards included. Pure logic, no I/O.
 */
public final class TopicPolicy {
    static final String PREFIX = "devices/";
    private static final String SHARED_PREFIX = "$share/";
    private static final char REPLACEMENT = '\uFFFD';

    private final int maxTopicLength;

    public TopicPolicy(int maxTopicLength) {
        this.maxTopicLength = maxTopicLength;
    }

    /** Where an accepted device publish goes. {@code subTopic} is the topic below {@code devices/{device}/}. */
    public record Upstream(String kafkaTopic, String cloudEventType, String subTopic) {
    }

    /** Why a publish or subscribe is refused; the MQTT reason codes differ by cause. */
    public enum Refusal {
        /** Not a valid topic name: wildcards, empty levels, too long, control characters. */
        INVALID,
        /** A valid topic the device may not use: another device's, the platform's own, or unknown. */
        NOT_AUTHORIZED,
        /** A shared subscription ({@code $share/...}): a device is the only reader of its topics. */
        SHARED
    }

    /** The outcome of checking a publish: exactly one of upstream and refusal is set. */
    public record PublishCheck(Upstream upstream, Refusal refusal) {
        static PublishCheck refused(Refusal refusal) {
            return new PublishCheck(null, refusal);
        }
    }

    public PublishCheck checkPublish(String deviceId, String topic) {
        if (!wellFormed(topic) || topic.startsWith("$") || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            return PublishCheck.refused(Refusal.INVALID);
        }
        String own = PREFIX + deviceId + "/";
        if (!topic.startsWith(own)) {
            return PublishCheck.refused(Refusal.NOT_AUTHORIZED);
        }
        String subTopic = topic.substring(own.length());
        List<String> levels = List.of(subTopic.split("/", -1));
        Upstream upstream = classify(levels, subTopic);
        return upstream == null ? PublishCheck.refused(Refusal.NOT_AUTHORIZED) : new PublishCheck(upstream, null);
    }

    /** Null when the device may subscribe to the filter, else why not. */
    public Refusal checkSubscribe(String deviceId, String filter) {
        if (!wellFormed(filter) || !wildcardsWellPlaced(filter)) {
            return Refusal.INVALID;
        }
        if (filter.startsWith(SHARED_PREFIX)) {
            return Refusal.SHARED;
        }
        String own = PREFIX + deviceId + "/";
        return filter.startsWith(own) && filter.length() > own.length() ? null : Refusal.NOT_AUTHORIZED;
    }

    private static Upstream classify(List<String> levels, String subTopic) {
        String first = levels.get(0);
        int n = levels.size();
        if (first.equals("telemetry") && (n == 1 || n == 2)) {
            return new Upstream(Topics.TELEMETRY, CloudEventTypes.TELEMETRY, subTopic);
        }
        if (first.equals("inquiries") && n >= 3) {
            String action = levels.get(1);
            if (action.equals("request") && n == 4) {
                return new Upstream(Topics.INQUIRIES, CloudEventTypes.INQUIRY_REQUEST, subTopic);
            }
            if (action.equals("subscribe") && n == 4) {
                return new Upstream(Topics.INQUIRIES, CloudEventTypes.INQUIRY_SUBSCRIBE, subTopic);
            }
            if (action.equals("cancel") && n == 3) {
                return new Upstream(Topics.INQUIRIES, CloudEventTypes.INQUIRY_CANCEL, subTopic);
            }
        }
        if (first.equals("commands") && (n == 3 || n == 4) && levels.get(1).equals("response")) {
            return new Upstream(Topics.COMMAND_RESPONSES, CloudEventTypes.COMMAND_RESPONSE, subTopic);
        }
        return null;
    }

    private boolean wellFormed(String topic) {
        if (topic == null || topic.isEmpty() || topic.length() > maxTopicLength) {
            return false;
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            // U+FFFD is what the MQTT decoder leaves of ill-formed UTF-8, which the spec says must end the connection.
            if (c < 0x20 || c == 0x7f || c == REPLACEMENT || Character.isSurrogate(c) && !validSurrogatePair(topic, i)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                i++;
            }
        }
        for (String level : topic.split("/", -1)) {
            if (level.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static boolean validSurrogatePair(String topic, int i) {
        return Character.isHighSurrogate(topic.charAt(i)) && i + 1 < topic.length()
                && Character.isLowSurrogate(topic.charAt(i + 1));
    }

    /** {@code +} must fill a whole level; {@code #} must be the whole last level. */
    private static boolean wildcardsWellPlaced(String filter) {
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                return false;
            }
            if (level.contains("+") && !level.equals("+")) {
                return false;
            }
        }
        return true;
    }
}
