package io.outpost.telemetry.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Stores a batch of readings in one transaction: the readings not stored yet ({@link IngestPositions}) into their
 * days' partitions with one {@code COPY} ({@link ReadingCopy}), and the newest per device and stream into
 * {@code telemetry_latest} with one upsert of arrays unnested server-side.
 */
@ApplicationScoped
public class ReadingStore {
    private static final java.util.Base64.Encoder BASE64 = java.util.Base64.getEncoder();
    private static final String COLUMNS = "tenant_id, device_id, stream, received_at, message_id, content_type,"
            + " payload_json, payload_bytes, device_incarnation";
    /** The batch's columns as arrays, one row per element; bytes travel as base64 text (arrays may hold nulls). */
    private static final String ROWS = " select t, d, s, at::timestamptz, id, ct, j::jsonb, decode(b, 'base64'),"
            + " inc::timestamptz";
    private static final String ARRAYS = "unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
            + " ?::text[], ?::text[], ?::text[]";
    private static final String UPSERT_LATEST = "insert into telemetry_latest (" + COLUMNS + ")"
            + ROWS + " from " + ARRAYS + ") as u(t, d, s, at, id, ct, j, b, inc)"
            + " on conflict (tenant_id, device_id, stream) do update set received_at = excluded.received_at,"
            + " message_id = excluded.message_id, content_type = excluded.content_type,"
            + " payload_json = excluded.payload_json, payload_bytes = excluded.payload_bytes,"
            + " device_incarnation = excluded.device_incarnation"
            + " where excluded.received_at >= telemetry_latest.received_at";

    @Inject
    DataSource dataSource;
    @Inject
    Partitions partitions;

    /** Returns once the batch is committed. */
    public void store(List<Reading> readings) throws SQLException {
        if (readings.isEmpty()) {
            return;
        }
        TreeSet<java.time.LocalDate> days = new TreeSet<>();
        readings.forEach(reading -> days.add(Partitions.dayOf(reading.receivedAt())));
        partitions.ensure(days);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<Reading> fresh = IngestPositions.claim(connection, readings);
                ReadingCopy.write(connection, fresh);
                try (PreparedStatement upsert = connection.prepareStatement(UPSERT_LATEST)) {
                    bind(connection, upsert, newestPerStream(fresh));
                    upsert.executeUpdate();
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /**
     * One row per device and stream (an upsert may touch a row once per statement): the newest, in key order, so that
     * batches stored at once (by several instances of the service) lock their common rows in the same order and never
     * deadlock.
     */
    static Collection<Reading> newestPerStream(List<Reading> readings) {
        Map<String, Reading> newest = new TreeMap<>();
        for (Reading reading : readings) {
            newest.merge(reading.key() + "/" + reading.stream(), reading,
                    (kept, candidate) -> candidate.receivedAt().isBefore(kept.receivedAt()) ? kept : candidate);
        }
        return newest.values();
    }

    private static void bind(Connection connection, PreparedStatement statement, Collection<Reading> readings)
            throws SQLException {
        statement.setArray(1, connection.createArrayOf("text", readings.stream().map(Reading::tenant).toArray()));
        statement.setArray(2, connection.createArrayOf("text", readings.stream().map(Reading::device).toArray()));
        statement.setArray(3, connection.createArrayOf("text", readings.stream().map(Reading::stream).toArray()));
        statement.setArray(4, connection.createArrayOf("text",
                readings.stream().map(reading -> reading.receivedAt().toString()).toArray()));
        statement.setArray(5, connection.createArrayOf("text", readings.stream().map(Reading::messageId).toArray()));
        statement.setArray(6, connection.createArrayOf("text", readings.stream().map(Reading::contentType).toArray()));
        statement.setArray(7, connection.createArrayOf("text", readings.stream().map(Reading::json).toArray()));
        statement.setArray(8, connection.createArrayOf("text", readings.stream()
                .map(reading -> reading.bytes() == null ? null : BASE64.encodeToString(reading.bytes())).toArray()));
        statement.setArray(9, connection.createArrayOf("text", readings.stream()
                .map(reading -> reading.incarnation() == null ? null : reading.incarnation().toString()).toArray()));
    }
}
