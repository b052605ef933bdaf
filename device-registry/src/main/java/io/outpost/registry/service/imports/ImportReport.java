package io.outpost.registry.service.imports;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The outcome of a bulk import: every row, in file order. */
@Schema(description = "Per-row outcome of a bulk import")
public record ImportReport(int created, int failed, List<ImportResult> results) {
}
