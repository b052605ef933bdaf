package io.outpost.rest;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A query parameter listing enum values, comma-separated and in any case, e.g. {@code state=open,streaming}. */
public final class EnumFilter {
    private EnumFilter() {
    }

    /**
     * The values; empty when the parameter is absent or blank. A value that is not one of {@code type}'s adds a fault
     * naming {@code field} and every allowed value to {@code errors}, and the result is empty.
     */
    public static <E extends Enum<E>> Set<E> parse(String parameter, Class<E> type, String field,
            List<FieldError> errors) {
        if (parameter == null || parameter.isBlank()) {
            return Set.of();
        }
        Set<E> values = EnumSet.noneOf(type);
        for (String name : parameter.split(",")) {
            try {
                values.add(Enum.valueOf(type, name.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(field, "must be one or more of " + List.of(type.getEnumConstants())));
                return Set.of();
            }
        }
        return values;
    }
}
