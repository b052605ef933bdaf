package io.outpost.telemetry.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The daily partitions of {@code telemetry} (UTC days, named {@code telemetry_yyyymmdd}): created when a reading for a
 * new day arrives, dropped whole when retention has passed.
 */
@ApplicationScoped
public class Partitions {
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'telemetry_'yyyyMMdd");
    /** Serializes creation between instances ("partition exists" races otherwise fail a batch). */
    private static final long CREATE_LOCK = 0x74656c656d657472L;

    private final Set<LocalDate> known = ConcurrentHashMap.newKeySet();

    @Inject
    DataSource dataSource;

    /** Creates the missing partitions for these days, each in a short transaction of its own. */
    public void ensure(Collection<LocalDate> days) throws SQLException {
        for (LocalDate day : days) {
            if (known.contains(day)) {
                continue;
            }
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("select pg_advisory_xact_lock(" + CREATE_LOCK + ")");
                    statement.execute("create table if not exists " + NAME.format(day) + " partition of telemetry"
                            + " for values from ('" + day + " 00:00+00') to ('" + day.plusDays(1) + " 00:00+00')");
                }
                connection.commit();
            }
            known.add(day);
        }
    }

    /** Days that have a partition, oldest first. */
    public List<LocalDate> existing() throws SQLException {
        List<LocalDate> days = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select c.relname from pg_inherits i"
                        + " join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent"
                        + " where p.relname = 'telemetry' order by c.relname");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                days.add(LocalDate.parse(rs.getString(1), NAME));
            }
        }
        return days;
    }

    /** Drops the partition of {@code day}: all its readings go at once, without row deletes. */
    public void drop(LocalDate day) throws SQLException {
        known.remove(day);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("drop table if exists " + NAME.format(day));
        }
    }

    static LocalDate dayOf(java.time.Instant at) {
        return at.atOffset(ZoneOffset.UTC).toLocalDate();
    }
}
