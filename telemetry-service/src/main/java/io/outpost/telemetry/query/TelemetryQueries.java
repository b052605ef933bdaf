package io.outpost.telemetry.query;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.BiPredicate;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.outpost.rest.Page;
import io.outpost.rest.ProblemException;

/** Reads stored telemetry: a device's history, latest values, aggregates. Every query is keyset-paged or bounded. */
@ApplicationScoped
public class TelemetryQueries {
    private static final String READING = "device_id, stream, received_at, message_id, content_type,"
            + " payload_json::text, payload_bytes";

    @Inject
    DataSource dataSource;

    /**
     * A device's readings in {@code [from, to)}, oldest or newest first, of one stream if given; of this incarnation
     * of the device (and those that do not say) when {@code incarnation} is set.
     */
    public record History(String tenant, String device, Instant incarnation, Instant from, Instant to, String stream,
            boolean oldestFirst, int limit, String cursor) {
    }

    /**
     * The latest readings of the given devices (all of the tenant's if null), by device and stream, those that
     * {@code shown} accepts (by device and the incarnation that sent it, null if not said): a page may hold fewer.
     */
    public record Latest(String tenant, List<String> devices, String stream, int limit, String cursor,
            BiPredicate<String, Instant> shown) {
    }

    /** Numeric field {@code path} of a device's JSON readings, per {@code every} from {@code from} to {@code to}. */
    public record Aggregate(String tenant, String device, Instant incarnation, List<String> path, Duration every,
            Instant from, Instant to, String stream) {
    }

    public Page<ReadingView> history(History query) throws SQLException {
        String direction = query.oldestFirst() ? "asc" : "desc";
        StringBuilder sql = new StringBuilder("select " + READING + ", kafka_partition, kafka_offset from telemetry"
                + " where tenant_id = ? and device_id = ? and received_at >= ? and received_at < ?");
        List<Object> parameters = new ArrayList<>(List.of(query.tenant(), query.device(),
                Timestamp.from(query.from()), Timestamp.from(query.to())));
        ofIncarnation(query.incarnation(), sql, parameters);
        if (query.stream() != null) {
            sql.append(" and stream = ?");
            parameters.add(query.stream());
        }
        if (query.cursor() != null) {
            List<String> last = Cursor.decode(query.cursor(), 3);
            if (last == null) {
                throw ProblemException.invalid("cursor", "is not a cursor of this list");
            }
            sql.append(" and (received_at, kafka_partition, kafka_offset) ").append(query.oldestFirst() ? ">" : "<")
                    .append(" (?, ?, ?)");
            try {
                parameters.add(Timestamp.from(Instant.parse(last.get(0))));
                parameters.add(Integer.parseInt(last.get(1)));
                parameters.add(Long.parseLong(last.get(2)));
            } catch (RuntimeException e) {
                throw ProblemException.invalid("cursor", "is not a cursor of this list");
            }
        }
        sql.append(" order by received_at ").append(direction).append(", kafka_partition ").append(direction)
                .append(", kafka_offset ").append(direction).append(" limit ?");
        parameters.add(query.limit() + 1);
        List<ReadingView> items = new ArrayList<>();
        String next = null;
        String lastKey = null;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = prepare(connection, sql.toString(), parameters);
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                if (items.size() == query.limit()) {
                    next = lastKey;
                    break;
                }
                ReadingView reading = view(rs);
                items.add(reading);
                lastKey = Cursor.encode(reading.receivedAt().toString(), Integer.toString(rs.getInt(8)),
                        Long.toString(rs.getLong(9)));
            }
        }
        return new Page<>(items, next);
    }

    public Page<ReadingView> latest(Latest query) throws SQLException {
        StringBuilder sql = new StringBuilder("select " + READING + ", device_incarnation from telemetry_latest"
                + " where tenant_id = ?");
        List<Object> parameters = new ArrayList<>(List.of(query.tenant()));
        if (query.devices() != null) {
            sql.append(" and device_id = any(?)");
            parameters.add(query.devices());
        }
        if (query.stream() != null) {
            sql.append(" and stream = ?");
            parameters.add(query.stream());
        }
        if (query.cursor() != null) {
            List<String> last = Cursor.decode(query.cursor(), 2);
            if (last == null) {
                throw ProblemException.invalid("cursor", "is not a cursor of this list");
            }
            sql.append(" and (device_id, stream) > (?, ?)");
            parameters.add(last.get(0));
            parameters.add(last.get(1));
        }
        sql.append(" order by device_id, stream limit ?");
        parameters.add(query.limit() + 1);
        List<ReadingView> items = new ArrayList<>();
        String next = null;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = prepare(connection, sql.toString(), parameters);
                ResultSet rs = select.executeQuery()) {
            int read = 0;
            ReadingView last = null;
            while (rs.next()) {
                if (read++ == query.limit()) {
                    next = Cursor.encode(last.device(), last.stream());
                    break;
                }
                last = view(rs);
                Timestamp incarnation = rs.getTimestamp(8);
                if (query.shown().test(last.device(), incarnation == null ? null : incarnation.toInstant())) {
                    items.add(last);
                }
            }
        }
        return new Page<>(items, next);
    }

    public List<Bucket> aggregate(Aggregate query) throws SQLException {
        // Intervals are aligned to the epoch, so every=1h starts on the hour whatever from is.
        StringBuilder sql = new StringBuilder("select date_bin(?::interval, received_at, timestamptz 'epoch') as bucket,"
                + " count(*), min(v), max(v), avg(v) from (select received_at, (payload_json #>> ?)::float8 as v"
                + " from telemetry where tenant_id = ? and device_id = ? and received_at >= ? and received_at < ?"
                + " and jsonb_typeof(payload_json #> ?) = 'number'");
        List<Object> parameters = new ArrayList<>(List.of(query.every().toMillis() + " milliseconds",
                query.path(), query.tenant(), query.device(),
                Timestamp.from(query.from()), Timestamp.from(query.to()), query.path()));
        ofIncarnation(query.incarnation(), sql, parameters);
        if (query.stream() != null) {
            sql.append(" and stream = ?");
            parameters.add(query.stream());
        }
        sql.append(") numbers group by bucket order by bucket");
        List<Bucket> buckets = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = prepare(connection, sql.toString(), parameters);
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                buckets.add(new Bucket(rs.getTimestamp(1).toInstant(), rs.getLong(2), rs.getDouble(3),
                        rs.getDouble(4), rs.getDouble(5)));
            }
        }
        return buckets;
    }

    /** Readings of this incarnation of the device, and those that do not say which sent them. */
    private static void ofIncarnation(Instant incarnation, StringBuilder sql, List<Object> parameters) {
        if (incarnation != null) {
            sql.append(" and (device_incarnation is null or device_incarnation = ?)");
            parameters.add(Timestamp.from(incarnation));
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, List<Object> parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.size(); i++) {
            Object parameter = parameters.get(i);
            if (parameter instanceof List<?> list) {
                Array array = connection.createArrayOf("text", list.toArray());
                statement.setArray(i + 1, array);
            } else {
                statement.setObject(i + 1, parameter);
            }
        }
        return statement;
    }

    private static ReadingView view(ResultSet rs) throws SQLException {
        byte[] bytes = rs.getBytes(7);
        return new ReadingView(rs.getString(4), rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                rs.getString(5), rs.getString(6), bytes == null ? null : Base64.getEncoder().encodeToString(bytes));
    }
}
