package io.outpost.contracts;

import java.util.Locale;

/** Who an outbound message is for ({@link CloudEventHeaders#AUDIENCE}). */
public enum Audience {
    /** One device: {@code ce_device}. */
    DEVICE,
    /** Every member of the group {@code ce_group} of the tenant, membership as the registry has it at delivery. */
    GROUP,
    /** Every device of the tenant. */
    FLEET;

    /** The header value: the name in lower case. */
    public String headerValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The audience of a header value; {@code DEVICE} when absent, null when unknown. */
    public static Audience fromHeader(String value) {
        if (value == null) {
            return DEVICE;
        }
        for (Audience audience : values()) {
            if (audience.headerValue().equals(value)) {
                return audience;
            }
        }
        return null;
    }
}
