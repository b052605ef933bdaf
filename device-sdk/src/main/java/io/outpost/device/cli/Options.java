package io.outpost.device.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code --name value} pairs and {@code --flag}s without a value (only the names declared as flags); asking for an
 * option removes it, so what is left at the end was misspelt.
 */
final class Options {
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    Options(String[] args) {
        this(args, Set.of());
    }

    /** @param flagNames the options that take no value, e.g. {@code help} */
    Options(String[] args, Set<String> flagNames) {
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected an option, got " + args[i]);
            }
            String name = args[i].substring(2);
            if (flagNames.contains(name)) {
                flags.add(name);
            } else if (i + 1 == args.length) {
                throw new IllegalArgumentException("--" + name + " needs a value");
            } else {
                values.put(name, args[++i]);
            }
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

    /** True if the flag was given. */
    boolean flag(String name) {
        return flags.remove(name);
    }

    /** A whole number in {@code [min, max]}, or {@code fallback} if the option is absent. */
    int number(String name, int fallback, int min, int max) {
        String value = optional(name, null);
        if (value == null) {
            return fallback;
        }
        return number(name, value, min, max);
    }

    static int number(String name, String value, int min, int max) {
        try {
            int number = Integer.parseInt(value.strip());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + " must be a number " + min + "-" + max + ", was " + value);
    }

    /** Fails naming the options nobody asked for. */
    void requireAllUsed() {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.addAll(flags);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown options: --" + String.join(", --", unknown));
        }
    }
}
