package io.outpost.remoteaccess.policy;

import java.util.Locale;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores a {@link Scope} as the lower-case word the table's check constraint and the API use. */
@Converter
public class ScopeColumn implements AttributeConverter<Scope, String> {
    @Override
    public String convertToDatabaseColumn(Scope scope) {
        return scope == null ? null : scope.value();
    }

    @Override
    public Scope convertToEntityAttribute(String value) {
        return value == null ? null : Scope.valueOf(value.toUpperCase(Locale.ROOT));
    }
}
