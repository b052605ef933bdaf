package io.outpost.load;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * What the platform wrote, read from outside: records on Kafka topics (the sum of their partitions' end offsets) and
 * rows inserted into a database's tables. For a table with an identity column that is the advance of its sequence
 * (an outbox's rows are deleted once relayed, so its row count says nothing), for any other table the change of its
 * row count. Not {@code pg_stat_user_tables}: an idle PostgreSQL backend publishes its counts up to 10 s after the
 * commit ({@code PGSTAT_IDLE_INTERVAL}), so a send's inserts would land in the next round. The differences between two
 * {@link Snapshot}s are what happened in between.
 */
final class PlatformCounters implements AutoCloseable {
    private final Admin admin;
    private final List<TopicPartition> partitions;
    private final Connection database;
    /** Table name to the sequence of its identity column, for the tables that have one. */
    private final Map<String, String> sequences = new TreeMap<>();
    private final List<String> tables = new ArrayList<>();

    PlatformCounters(String bootstrap, List<String> topics, String jdbcUrl, String user, String password)
            throws SQLException, ExecutionException, InterruptedException {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        partitions = admin.describeTopics(topics).allTopicNames().get().values().stream()
                .flatMap(topic -> topic.partitions().stream()
                        .map(partition -> new TopicPartition(topic.name(), partition.partition())))
                .toList();
        database = DriverManager.getConnection(jdbcUrl, user, password);
        try (Statement statement = database.createStatement()) {
            try (ResultSet rows = statement.executeQuery("select table_name,"
                    + " pg_get_serial_sequence(quote_ident(table_schema) || '.' || quote_ident(table_name), column_name)"
                    + " as sequence from information_schema.columns"
                    + " where table_schema = current_schema() and is_identity = 'YES'")) {
                while (rows.next()) {
                    sequences.put(rows.getString("table_name"), rows.getString("sequence"));
                }
            }
            try (ResultSet rows = statement.executeQuery("select quote_ident(table_name) as name"
                    + " from information_schema.tables where table_schema = current_schema()"
                    + " and table_type = 'BASE TABLE' order by table_name")) {
                while (rows.next()) {
                    tables.add(rows.getString("name"));
                }
            }
        }
    }

    /** Records per topic; per table, its identity sequence's last value or its row count. */
    record Snapshot(Map<String, Long> records, Map<String, Long> rows) {

        /** What changed from {@code before} to this one (tables and topics of either; a missing count is 0). */
        Snapshot minus(Snapshot before) {
            return new Snapshot(difference(records, before.records), difference(rows, before.rows));
        }

        private static Map<String, Long> difference(Map<String, Long> after, Map<String, Long> before) {
            Map<String, Long> difference = new TreeMap<>();
            after.forEach((key, value) -> difference.put(key, value - before.getOrDefault(key, 0L)));
            before.forEach((key, value) -> difference.putIfAbsent(key, -value));
            return difference;
        }
    }

    Snapshot snapshot() throws ExecutionException, InterruptedException, SQLException {
        Map<String, Long> records = new TreeMap<>();
        admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest())))
                .all().get().forEach((partition, offset) -> records.merge(partition.topic(), offset.offset(), Long::sum));
        Map<String, Long> rows = new TreeMap<>();
        try (Statement statement = database.createStatement()) {
            for (String table : tables) {
                String name = table.replace("\"", "");
                String sequence = sequences.get(name);
                String query = sequence != null
                        ? "select case when is_called then last_value else last_value - 1 end as n from " + sequence
                        : "select count(*) as n from " + table;
                try (ResultSet result = statement.executeQuery(query)) {
                    result.next();
                    rows.put(name, result.getLong("n"));
                }
            }
        }
        return new Snapshot(records, rows);
    }

    /**
     * A snapshot once nothing has changed for {@code stillMillis} (checked every 250 ms), or after {@code maxMillis}
     * whatever it shows.
     */
    Snapshot quiet(long stillMillis, long maxMillis) throws ExecutionException, InterruptedException, SQLException {
        long deadline = System.nanoTime() + maxMillis * 1_000_000;
        Snapshot last = snapshot();
        long stillSince = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - stillSince < stillMillis * 1_000_000) {
            Thread.sleep(250);
            Snapshot next = snapshot();
            if (!next.equals(last)) {
                last = next;
                stillSince = System.nanoTime();
            }
        }
        return last;
    }

    @Override
    public void close() throws SQLException {
        admin.close();
        database.close();
    }
}
