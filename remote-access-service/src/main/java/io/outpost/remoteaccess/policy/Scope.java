package io.outpost.remoteaccess.policy;

import java.util.Locale;

/** The level a remote-access switch is set at. */
public enum Scope {
    FLEET,
    GROUP,
    DEVICE;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The switch's id and its events' Kafka key: {@code {tenant}/fleet}, {@code {tenant}/group:{g}}, {@code {tenant}/device:{d}}. */
    public String key(String tenant, String target) {
        return this == FLEET ? tenant + "/fleet" : tenant + "/" + value() + ":" + target;
    }
}
