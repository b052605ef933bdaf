package io.outpost.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of a list; pass {@code nextCursor} as {@code cursor} for the next one. */
@Schema(description = "A page of results")
public record Page<T>(
        List<T> items,
        @Schema(description = "Opaque cursor of the next page; null on the last page") String nextCursor) {
    public static final int MAX_SIZE = 1000;
    public static final int DEFAULT_SIZE = 100;

    /**
     * The {@code limit} query parameter as a page size ({@value #DEFAULT_SIZE} when absent); 400 naming it unless it
     * is a whole number from 1 to {@link #MAX_SIZE}. Taken as text: JAX-RS answers 404 to a query parameter it cannot
     * convert.
     */
    public static int size(String limit) {
        if (limit == null) {
            return DEFAULT_SIZE;
        }
        try {
            int size = Integer.parseInt(limit.strip());
            if (size >= 1 && size <= MAX_SIZE) {
                return size;
            }
        } catch (NumberFormatException e) {
            // answered below, like a number out of range
        }
        throw ProblemException.invalid("limit", "must be a whole number from 1 to " + MAX_SIZE);
    }
}
