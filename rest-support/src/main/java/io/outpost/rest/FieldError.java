package io.outpost.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One thing wrong with the request, and where. */
@Schema(description = "A field at fault and what is wrong with it")
public record FieldError(
        @Schema(description = "Path of the field in the request, e.g. labels.site or groups[1]", examples = "id") String field,
        @Schema(description = "What is wrong", examples = "must match [A-Za-z0-9][A-Za-z0-9._-]{0,127}") String detail) {
}
