package io.outpost.device.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} pairs; asking for an option removes it, so what is left at the end was misspelt. */
final class Options {
    private final Map<String, String> values = new HashMap<>();

    Options(String[] args) {
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs: --name value");
        }
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected an option, got " + args[i]);
            }
            values.put(args[i].substring(2), args[i + 1]);
        }
    }

    String required(String name) {
        String value = values.remove(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    String optional(String name, String fallback) {
        String value = values.remove(name);
        return value == null ? fallback : value;
    }

    /** Fails naming the options nobody asked for. */
    void requireAllUsed() {
        Set<String> unknown = values.keySet();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown options: --" + String.join(", --", unknown));
        }
    }
}
