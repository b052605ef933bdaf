package io.outpost.telemetry.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import org.postgresql.PGConnection;

/**
 * Writes readings into {@code telemetry} with one {@code COPY ... FROM STDIN} (text format), which PostgreSQL routes to
 * the days' partitions: the cheapest way in, several times cheaper per row than an {@code INSERT}.
 */
final class ReadingCopy {
    private static final String COPY = "copy telemetry (tenant_id, device_id, stream, received_at, kafka_partition,"
            + " kafka_offset, message_id, content_type, payload_json, payload_bytes, device_incarnation) from stdin";
    private static final String NULL = "\\N";
    private static final HexFormat HEX = HexFormat.of();

    private ReadingCopy() {
    }

    static void write(Connection connection, List<Reading> readings) throws SQLException {
        byte[] rows = rows(readings).getBytes(StandardCharsets.UTF_8);
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY, new ByteArrayInputStream(rows));
        } catch (IOException e) {
            throw new SQLException("copying readings failed", e);
        }
    }

    static String rows(List<Reading> readings) {
        StringBuilder rows = new StringBuilder(readings.size() * 256);
        for (Reading reading : readings) {
            text(rows, reading.tenant()).append('\t');
            text(rows, reading.device()).append('\t');
            text(rows, reading.stream()).append('\t');
            rows.append(reading.receivedAt()).append('\t');
            rows.append(reading.partition()).append('\t');
            rows.append(reading.offset()).append('\t');
            text(rows, reading.messageId()).append('\t');
            text(rows, reading.contentType()).append('\t');
            text(rows, reading.json()).append('\t');
            bytes(rows, reading.bytes()).append('\t');
            instant(rows, reading.incarnation()).append('\n');
        }
        return rows.toString();
    }

    /** COPY's text escapes: the backslash, and the characters that would end a column or a row. */
    private static StringBuilder text(StringBuilder rows, String value) {
        if (value == null) {
            return rows.append(NULL);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> rows.append("\\\\");
                case '\t' -> rows.append("\\t");
                case '\n' -> rows.append("\\n");
                case '\r' -> rows.append("\\r");
                default -> rows.append(c);
            }
        }
        return rows;
    }

    /** bytea's hex form, {@code \x...}, with its backslash escaped for COPY. */
    private static StringBuilder bytes(StringBuilder rows, byte[] value) {
        return value == null ? rows.append(NULL) : rows.append("\\\\x").append(HEX.formatHex(value));
    }

    private static StringBuilder instant(StringBuilder rows, Instant value) {
        return value == null ? rows.append(NULL) : rows.append(value);
    }
}
