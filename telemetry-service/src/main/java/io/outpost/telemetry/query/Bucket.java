package io.outpost.telemetry.query;

import java.time.Instant;

/** One interval of an aggregate: how many numeric values the field had, and their minimum, maximum and mean. */
public record Bucket(Instant start, long count, double min, double max, double avg) {
}
