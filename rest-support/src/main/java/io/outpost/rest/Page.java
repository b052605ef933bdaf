package io.outpost.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of a list; pass {@code nextCursor} as {@code cursor} for the next one. */
@Schema(description = "A page of results")
public record Page<T>(
        List<T> items,
        @Schema(description = "Opaque cursor of the next page; null on the last page") String nextCursor) {
}
