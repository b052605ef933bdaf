package io.outpost.telemetry.rest;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import io.outpost.rest.Durations;
import io.outpost.rest.FieldError;
import io.outpost.rest.Page;
import io.outpost.rest.ProblemException;

/** Reads query parameters, collecting every fault (each with its parameter) and failing once with all of them. */
final class QueryParameters {
    static final Pattern STREAM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_-]{1,64}(\\.[A-Za-z0-9_-]{1,64}){0,7}");
    static final String NO_STREAM = "-";

    private final List<FieldError> errors = new ArrayList<>();

    Instant instant(String name, String text, Instant fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(name, "must be an ISO-8601 instant such as 2026-11-22T10:15:00Z"));
            return fallback;
        }
    }

    void range(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            errors.add(new FieldError("from", "must be before to"));
        }
    }

    int limit(String limit) {
        try {
            return Page.size(limit);
        } catch (ProblemException e) {
            errors.addAll(e.errors());
            return 1;
        }
    }

    /** {@code null} for all streams; {@value #NO_STREAM} selects the readings published without a stream level. */
    String stream(String stream) {
        if (stream == null || stream.equals(NO_STREAM)) {
            return stream == null ? null : "";
        }
        if (!STREAM.matcher(stream).matches()) {
            errors.add(new FieldError("stream", "must be " + NO_STREAM + " (no stream) or match " + STREAM));
        }
        return stream;
    }

    boolean oldestFirst(String order) {
        if (order == null || order.equals("newest")) {
            return false;
        }
        if (!order.equals("oldest")) {
            errors.add(new FieldError("order", "must be newest or oldest"));
        }
        return true;
    }

    List<String> field(String field) {
        if (field == null) {
            errors.add(new FieldError("field", "is required: a numeric JSON field such as temperature or engine.rpm"));
            return List.of();
        }
        if (!FIELD.matcher(field).matches()) {
            errors.add(new FieldError("field", "must be a JSON field name or a dotted path such as engine.rpm"));
            return List.of();
        }
        return Arrays.asList(field.split("\\."));
    }

    Duration every(String every) {
        Duration parsed = every == null ? null : Durations.parse(every).orElse(null);
        if (parsed == null || parsed.compareTo(Duration.ofSeconds(1)) < 0 || parsed.compareTo(Duration.ofDays(31)) > 0) {
            errors.add(new FieldError("every", "must be a duration from 1s to 31d, such as 1m, 15m, 1h or PT1H"));
            return Duration.ofHours(1);
        }
        return parsed;
    }

    void buckets(Instant from, Instant to, Duration every, int maxBuckets) {
        if (from.isBefore(to) && Duration.between(from, to).dividedBy(every) >= maxBuckets) {
            errors.add(new FieldError("every", "gives more than " + maxBuckets
                    + " intervals for this range; choose a longer interval or a shorter range"));
        }
    }

    void requireValid() {
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
    }
}
