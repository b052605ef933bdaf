package io.outpost.registry.repository;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.registry.rest.ConnectionView;
import io.outpost.registry.rest.DeviceView;

/**
 * Keyset-paged device listing: the cursor is the sort key of the last row returned, so a page costs the same at any
 * depth, and rows inserted or deleted meanwhile never make a page repeat or skip one that existed throughout.
 */
@ApplicationScoped
public class DeviceSearch {
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> ATTRIBUTES = new TypeReference<>() {
    };

    @Inject
    DataSource dataSource;
    @Inject
    ObjectMapper json;

    /** One page of devices and the cursor of the next page (null at the end). */
    public record Result(List<DeviceView> devices, String nextCursor) {
    }

    /**
     * One query per page: the device columns, its groups aggregated and its connection status joined, read with
     * plain JDBC straight into the API representation (a list is a read model; no entities are loaded).
     */
    public Result search(DeviceQuery query) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder("select d.device_id, d.enabled, d.labels::text, d.attributes::text,"
                + " d.created_at, d.updated_at, d.version,"
                + " array(select g.group_id from group_member gm join device_group g on g.pk = gm.group_pk"
                + " where gm.device_pk = d.pk order by g.group_id) as groups,"
                + " cs.online, cs.since, cs.last_seen, cs.node, cs.session_id, cs.protocol_version, cs.remote_address"
                + " from device d left join connection_status cs on cs.device_pk = d.pk where d.tenant_id = ?");
        parameters.add(query.tenantId());
        if (query.group() != null) {
            sql.append(" and exists (select 1 from group_member gm join device_group g on g.pk = gm.group_pk"
                    + " where gm.device_pk = d.pk and g.tenant_id = ? and g.group_id = ?)");
            parameters.add(query.tenantId());
            parameters.add(query.group());
        }
        if (query.labels() != null && !query.labels().isEmpty()) {
            sql.append(" and d.labels @> cast(? as jsonb)");
            parameters.add(toJson(query.labels()));
        }
        if (query.enabled() != null) {
            sql.append(" and d.enabled = ?");
            parameters.add(query.enabled());
        }
        if (query.online() != null) {
            sql.append(query.online() ? " and cs.online" : " and (cs.online is null or not cs.online)");
        }
        appendCursor(query, sql, parameters);
        sql.append(" order by ").append(query.sort().orderBy()).append(" limit ?");
        parameters.add(query.limit() + 1);

        List<DeviceView> devices = new ArrayList<>(query.limit() + 1);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    devices.add(view(query.tenantId(), rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("listing devices failed", e);
        }
        boolean more = devices.size() > query.limit();
        List<DeviceView> page = more ? devices.subList(0, query.limit()) : devices;
        String next = more ? cursorOf(query.sort(), page.get(page.size() - 1)) : null;
        return new Result(List.copyOf(page), next);
    }

    private DeviceView view(String tenantId, ResultSet rs) throws SQLException {
        ConnectionView connection = ConnectionView.NEVER_CONNECTED;
        if (rs.getObject(9) != null) {
            connection = new ConnectionView(rs.getBoolean(9), instant(rs, 10), instant(rs, 11), rs.getString(12),
                    rs.getString(13), rs.getString(14), rs.getString(15));
        }
        return new DeviceView(rs.getString(1), tenantId, rs.getBoolean(2), readMap(rs.getString(3), LABELS),
                readMap(rs.getString(4), ATTRIBUTES), List.of((String[]) rs.getArray(8).getArray()), connection,
                instant(rs, 5), instant(rs, 6), rs.getLong(7));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    private <T> T readMap(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the database holds JSON", e);
        }
    }

    private static void appendCursor(DeviceQuery query, StringBuilder sql, List<Object> parameters) {
        if (query.cursor() == null) {
            return;
        }
        String comparison = query.sort().descending() ? "<" : ">";
        String[] parts = decode(query.cursor(), query.sort());
        if (query.sort().byCreated()) {
            sql.append(" and (d.created_at, d.device_id) ").append(comparison).append(" (?, ?)");
            parameters.add(Timestamp.from(Instant.EPOCH.plus(Long.parseLong(parts[0]), ChronoUnit.MICROS)));
            parameters.add(parts[1]);
        } else {
            sql.append(" and d.device_id ").append(comparison).append(" ?");
            parameters.add(parts[0]);
        }
    }

    private static String cursorOf(DeviceSort sort, DeviceView last) {
        String key = sort.byCreated()
                ? ChronoUnit.MICROS.between(Instant.EPOCH, last.createdAt()) + "|" + last.id()
                : last.id();
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((sort.parameter() + "|" + key).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor's key parts, or {@link InvalidCursorException} if it was not made by this sort. */
    private static String[] decode(String cursor, DeviceSort sort) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String prefix = sort.parameter() + "|";
            if (!text.startsWith(prefix)) {
                throw new InvalidCursorException();
            }
            String[] parts = text.substring(prefix.length()).split("\\|", sort.byCreated() ? 2 : 1);
            if (sort.byCreated()) {
                Long.parseLong(parts[0]);
                if (parts.length != 2) {
                    throw new InvalidCursorException();
                }
            }
            return parts;
        } catch (IllegalArgumentException e) {
            throw new InvalidCursorException();
        }
    }

    private String toJson(Map<String, String> labels) {
        try {
            return json.writeValueAsString(labels);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cursor was not issued by this listing with this sort. */
    public static class InvalidCursorException extends RuntimeException {
        public InvalidCursorException() {
            super("cursor is not valid for this sort; start again without one");
        }
    }
}
