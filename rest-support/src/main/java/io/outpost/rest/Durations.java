package io.outpost.rest;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations as callers write them: ISO-8601 ({@code PT30S}, {@code P7D}) or short ({@code 30s}, {@code 10m}). */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * A request field holding a positive duration of at most {@code max}; {@code fallback} when it is absent. A fault
     * is added to {@code errors} (naming the field) and null returned.
     */
    public static Duration field(String field, String text, Duration fallback, Duration max, List<FieldError> errors) {
        if (text == null) {
            return fallback;
        }
        Optional<Duration> parsed = parse(text);
        if (parsed.isEmpty()) {
            errors.add(new FieldError(field, "must be an ISO-8601 duration such as PT10M, or 90s, 10m, 2h, 7d"));
            return null;
        }
        Duration value = parsed.get();
        if (value.isNegative() || value.isZero()) {
            errors.add(new FieldError(field, "must be positive"));
            return null;
        }
        if (value.compareTo(max) > 0) {
            errors.add(new FieldError(field, "must be at most " + max));
            return null;
        }
        return value;
    }

    /** The duration, or empty if the text is neither form. */
    public static Optional<Duration> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.trim();
        Matcher matcher = SHORT.matcher(trimmed);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return Optional.of(switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
        }
        try {
            return Optional.of(Duration.parse(trimmed));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
