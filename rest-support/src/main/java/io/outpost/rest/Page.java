package io.outpost.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of a list; pass {@code nextCursor} as {@code cursor} for the next one. */
@Schema(description = "A page of results")
public record Page<T>(
        List<T> items,
        @Schema(description = "Opaque cursor of the next page; null on the last page") String nextCursor) {
    public static final int MAX_SIZE = 1000;

    /** The {@code limit} query parameter as a page size; 400 naming it unless it is 1 to {@link #MAX_SIZE}. */
    public static int size(int limit) {
        if (limit < 1 || limit > MAX_SIZE) {
            throw ProblemException.invalid("limit", "must be between 1 and " + MAX_SIZE);
        }
        return limit;
    }
}
