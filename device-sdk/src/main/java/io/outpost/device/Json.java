package io.outpost.device;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lenient reading of single members of the small JSON objects the platform sends (problem+json, tunnel requests and
 * answers): the SDK has no JSON library and needs a few strings and numbers, nothing nested. A member is found
 * anywhere in the text; a string's escapes are undone.
 */
final class Json {
    private Json() {
    }

    /** The value of a string member {@code "field": "..."} anywhere in {@code json}; null if there is none. */
    static String stringField(String json, String field) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
                .matcher(json);
        return matcher.find() ? unescape(matcher.group(1)) : null;
    }

    /** The value of an integer member {@code "field": 123} anywhere in {@code json}; null if there is none. */
    static Long longField(String json, String field) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*(-?\\d{1,18})(?![\\d.eE])")
                .matcher(json);
        return matcher.find() ? Long.valueOf(matcher.group(1)) : null;
    }

    /** {@code text} as a JSON string literal, quotes included. */
    static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    private static String unescape(String escaped) {
        StringBuilder text = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c != '\\' || i + 1 == escaped.length()) {
                text.append(c);
                continue;
            }
            char next = escaped.charAt(++i);
            switch (next) {
                case 'n' -> text.append('\n');
                case 't' -> text.append('\t');
                case 'r' -> text.append('\r');
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'u' -> {
                    if (i + 4 < escaped.length() && isHex(escaped.substring(i + 1, i + 5))) {
                        text.append((char) Integer.parseInt(escaped.substring(i + 1, i + 5), 16));
                        i += 4;
                    } else {
                        text.append("\\u");
                    }
                }
                default -> text.append(next);
            }
        }
        return text.toString();
    }

    private static boolean isHex(String four) {
        return four.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }
}
