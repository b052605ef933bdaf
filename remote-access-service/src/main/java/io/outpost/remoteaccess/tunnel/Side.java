package io.outpost.remoteaccess.tunnel;

import java.util.Locale;
import java.util.Optional;

/** The two ends of a tunnel, as they appear in relay URLs ({@code .../tunnels/{id}/operator}). */
public enum Side {
    OPERATOR,
    DEVICE;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Side other() {
        return this == OPERATOR ? DEVICE : OPERATOR;
    }

    public static Optional<Side> of(String value) {
        for (Side side : values()) {
            if (side.value().equals(value)) {
                return Optional.of(side);
            }
        }
        return Optional.empty();
    }
}
