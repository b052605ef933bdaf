package io.outpost.registry.service.imports;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.outpost.rest.FieldError;

/** What became of one import row. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(description = "The outcome of one import row")
public record ImportResult(
        @Schema(description = "1-based record number (for CSV, not counting the header line)", examples = "7") int row,
        @Schema(examples = "truck-0042") String id,
        @Schema(enumeration = { "created", "failed" }) String status,
        List<FieldError> errors,
        @Schema(description = "A generated secret, only when the row asked for one; shown once") String secret) {

    static ImportResult created(int row, String id, String secret) {
        return new ImportResult(row, id, "created", List.of(), secret);
    }

    static ImportResult failed(int row, String id, List<FieldError> errors) {
        return new ImportResult(row, id, "failed", errors, null);
    }
}
