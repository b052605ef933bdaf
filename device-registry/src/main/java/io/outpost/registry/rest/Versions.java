package io.outpost.registry.rest;

import jakarta.ws.rs.core.EntityTag;

import io.outpost.rest.ProblemException;

/** Entity versions as HTTP entity tags: {@code ETag: "7"}; {@code If-Match} takes the same or {@code *}. */
final class Versions {
    private Versions() {
    }

    static EntityTag etag(long version) {
        return new EntityTag(Long.toString(version));
    }

    /** The version an {@code If-Match} header demands, or null if it demands none ({@code *} or absent). */
    static Long ifMatch(String header) {
        if (header == null || header.isBlank() || header.trim().equals("*")) {
            return null;
        }
        String tag = header.trim();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            tag = tag.substring(1, tag.length() - 1);
        }
        try {
            return Long.parseLong(tag);
        } catch (NumberFormatException e) {
            throw ProblemException.preconditionFailed("If-Match " + header + " is not an entity tag of this resource");
        }
    }
}
