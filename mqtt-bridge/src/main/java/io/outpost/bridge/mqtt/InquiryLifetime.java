package io.outpost.bridge.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;

/**
 * The lifetime a device asks for its inquiry: MQTT 5 user property {@code lifetime}, a positive number of seconds
 * written as 1 to 9 ASCII digits. Anything else (missing, blank, signed, not a number, zero, longer) counts as not
 * asked, so the inquiry service applies its default. If the property appears more than once, the first one counts.
 */
final class InquiryLifetime {
    static final String PROPERTY = "lifetime";
    private static final int MAX_DIGITS = 9;

    private InquiryLifetime() {
    }

    /** The seconds asked for, as a canonical decimal (no leading zeros); null if none or not valid. */
    static String of(MqttProperties properties) {
        if (properties == null) {
            return null;
        }
        for (MqttProperties.MqttProperty<?> property : properties.getProperties(
                MqttProperties.MqttPropertyType.USER_PROPERTY.value())) {
            if (property.value() instanceof MqttProperties.StringPair pair && PROPERTY.equals(pair.key)) {
                return seconds(pair.value);
            }
        }
        return null;
    }

    /** {@code value} as canonical positive seconds; null unless it is 1 to 9 ASCII digits and not zero. */
    static String seconds(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_DIGITS) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        int seconds = Integer.parseInt(value);
        return seconds > 0 ? Integer.toString(seconds) : null;
    }
}
