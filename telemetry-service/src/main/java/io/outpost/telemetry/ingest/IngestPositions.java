package io.outpost.telemetry.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jboss.logging.Logger;

/**
 * Which readings of a batch are new, from the offset after the newest record stored per Kafka partition
 * ({@code telemetry_ingest_positions}), locked and advanced in the caller's transaction. A batch read again after a
 * crash or a rebalance starts below that offset, and its first reading is already stored: the part below is skipped.
 * A first reading that is not stored means the topic was created anew (offsets start again at 0): all is stored.
 * Partitions are locked in ascending order, so instances storing at once wait for each other and never deadlock.
 */
final class IngestPositions {
    private static final Logger LOG = Logger.getLogger(IngestPositions.class);
    private static final String ADD = "insert into telemetry_ingest_positions (kafka_partition, next_offset)"
            + " select unnest(?::int[]), 0 on conflict do nothing";
    private static final String LOCK = "select kafka_partition, next_offset from telemetry_ingest_positions"
            + " where kafka_partition = any(?) order by kafka_partition for update";
    private static final String STORED = "select 1 from telemetry where tenant_id = ? and device_id = ?"
            + " and received_at = ?::timestamptz and kafka_partition = ? and kafka_offset = ?";
    private static final String ADVANCE = "update telemetry_ingest_positions set next_offset = u.n"
            + " from unnest(?::int[], ?::bigint[]) as u(p, n) where kafka_partition = u.p";

    private IngestPositions() {
    }

    /** The readings not stored yet; the positions move past the batch when the caller commits. */
    static List<Reading> claim(Connection connection, List<Reading> readings) throws SQLException {
        Map<Integer, List<Reading>> byPartition = new TreeMap<>();
        readings.forEach(reading -> byPartition.computeIfAbsent(reading.partition(), p -> new ArrayList<>())
                .add(reading));
        Integer[] partitions = byPartition.keySet().toArray(Integer[]::new);
        Map<Integer, Long> stored = lock(connection, partitions);
        List<Reading> fresh = new ArrayList<>(readings.size());
        Long[] next = new Long[partitions.length];
        for (int i = 0; i < partitions.length; i++) {
            List<Reading> batch = byPartition.get(partitions[i]);
            long position = stored.get(partitions[i]);
            Reading first = batch.stream().min(Comparator.comparingLong(Reading::offset)).orElseThrow();
            long last = batch.stream().mapToLong(Reading::offset).max().orElseThrow();
            if (first.offset() >= position) {
                fresh.addAll(batch);
                next[i] = last + 1;
            } else if (isStored(connection, first)) {
                batch.stream().filter(reading -> reading.offset() >= position).forEach(fresh::add);
                next[i] = Math.max(position, last + 1);
            } else {
                LOG.warnf("partition %d of the telemetry topic starts again at offset %d (stored up to %d): the topic"
                        + " was created anew; storing from there", partitions[i], first.offset(), position);
                fresh.addAll(batch);
                next[i] = last + 1;
            }
        }
        advance(connection, partitions, next);
        return fresh;
    }

    private static Map<Integer, Long> lock(Connection connection, Integer[] partitions) throws SQLException {
        try (PreparedStatement add = connection.prepareStatement(ADD)) {
            add.setArray(1, connection.createArrayOf("int4", partitions));
            add.executeUpdate();
        }
        Map<Integer, Long> positions = new HashMap<>();
        try (PreparedStatement lock = connection.prepareStatement(LOCK)) {
            lock.setArray(1, connection.createArrayOf("int4", partitions));
            try (ResultSet rs = lock.executeQuery()) {
                while (rs.next()) {
                    positions.put(rs.getInt(1), rs.getLong(2));
                }
            }
        }
        return positions;
    }

    private static boolean isStored(Connection connection, Reading reading) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(STORED)) {
            select.setString(1, reading.tenant());
            select.setString(2, reading.device());
            // As text, as COPY writes it: PostgreSQL rounds both to the same microsecond.
            select.setString(3, reading.receivedAt().toString());
            select.setInt(4, reading.partition());
            select.setLong(5, reading.offset());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void advance(Connection connection, Integer[] partitions, Long[] next) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(ADVANCE)) {
            update.setArray(1, connection.createArrayOf("int4", partitions));
            update.setArray(2, connection.createArrayOf("int8", next));
            update.executeUpdate();
        }
    }
}
