package io.outpost.load;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The few JSON values the tools print by hand. */
final class Json {
    private Json() {
    }

    /** A quoted, escaped string; {@code null} for null. */
    static String string(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    /** Three decimals; {@code null} for NaN (nothing measured). */
    static String number(double value) {
        return Double.isNaN(value) ? "null" : String.format(Locale.ROOT, "%.3f", value);
    }

    /** An object of whole numbers by name (NaN as null). */
    static String counts(Map<String, Double> counts) {
        return counts.entrySet().stream().map(entry -> string(entry.getKey()) + ":"
                + (entry.getValue().isNaN() ? "null" : String.format(Locale.ROOT, "%.0f", entry.getValue())))
                .collect(Collectors.joining(",", "{", "}"));
    }
}
