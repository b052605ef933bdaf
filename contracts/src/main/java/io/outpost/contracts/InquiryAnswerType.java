package io.outpost.contracts;

import java.util.Locale;

/**
 * What an inquiry answer is, as the last level of its MQTT topic ({@link InquiryTopics}), so a device on MQTT 3.1.1
 * tells them apart without MQTT 5 properties.
 */
public enum InquiryAnswerType {
    /** An answer of a continuing inquiry; more may follow. */
    ANSWER,
    /** The last answer: the one answer of a one-shot inquiry, or the end of a continuing one. Nothing follows. */
    LAST,
    /** The inquiry failed or ended without an answer (no handler, handler error, timeout); the payload says why. */
    ERROR;

    /** Its topic level and header value: {@code answer}, {@code last}, {@code error}. */
    public String level() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type of a topic level or header value; null for anything else. */
    public static InquiryAnswerType fromLevel(String level) {
        for (InquiryAnswerType type : values()) {
            if (type.level().equals(level)) {
                return type;
            }
        }
        return null;
    }

    /** Whether nothing follows it. */
    public boolean ends() {
        return this != ANSWER;
    }
}
