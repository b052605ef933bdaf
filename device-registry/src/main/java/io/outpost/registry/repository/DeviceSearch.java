package io.outpost.registry.repository;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.registry.ConnectionStatus;
import io.outpost.registry.Device;

/**
 * Keyset-paged device listing: the cursor is the sort key of the last row returned, so a page costs the same at any
 * depth, and rows inserted or deleted meanwhile never make a page repeat or skip one that existed throughout.
 */
@ApplicationScoped
public class DeviceSearch {
    @Inject
    EntityManager em;
    @Inject
    ObjectMapper json;

    /** One page of devices, with their connection status, and the cursor of the next page (null at the end). */
    public record Result(List<Device> devices, Map<Long, ConnectionStatus> connections, String nextCursor) {
    }

    public Result search(DeviceQuery query) {
        Map<String, Object> parameters = new HashMap<>();
        StringBuilder sql = new StringBuilder("select d.pk, d.device_id, d.created_at from device d");
        if (query.online() != null) {
            sql.append(" left join connection_status cs on cs.device_pk = d.pk");
        }
        sql.append(" where d.tenant_id = :tenant");
        parameters.put("tenant", query.tenantId());
        if (query.group() != null) {
            sql.append(" and exists (select 1 from group_member gm join device_group g on g.pk = gm.group_pk"
                    + " where gm.device_pk = d.pk and g.tenant_id = :tenant and g.group_id = :group)");
            parameters.put("group", query.group());
        }
        if (query.labels() != null && !query.labels().isEmpty()) {
            sql.append(" and d.labels @> cast(:labels as jsonb)");
            parameters.put("labels", toJson(query.labels()));
        }
        if (query.enabled() != null) {
            sql.append(" and d.enabled = :enabled");
            parameters.put("enabled", query.enabled());
        }
        if (query.online() != null) {
            sql.append(query.online() ? " and cs.online" : " and (cs.online is null or not cs.online)");
        }
        appendCursor(query, sql, parameters);
        sql.append(" order by ").append(query.sort().orderBy()).append(" limit :limit");
        parameters.put("limit", query.limit() + 1);

        Query nativeQuery = em.createNativeQuery(sql.toString());
        parameters.forEach(nativeQuery::setParameter);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = nativeQuery.getResultList();
        boolean more = rows.size() > query.limit();
        List<Object[]> page = more ? rows.subList(0, query.limit()) : rows;
        List<Long> pks = page.stream().map(row -> ((Number) row[0]).longValue()).toList();
        String next = more ? cursorOf(query.sort(), page.get(page.size() - 1)) : null;
        return new Result(load(pks), connections(pks), next);
    }

    private List<Device> load(List<Long> pks) {
        if (pks.isEmpty()) {
            return List.of();
        }
        Map<Long, Device> byPk = em.createQuery(
                "select distinct d from Device d left join fetch d.groups where d.pk in :pks", Device.class)
                .setParameter("pks", pks).getResultStream()
                .collect(Collectors.toMap(device -> device.pk, Function.identity()));
        List<Device> ordered = new ArrayList<>(pks.size());
        pks.forEach(pk -> ordered.add(byPk.get(pk)));
        return ordered;
    }

    private Map<Long, ConnectionStatus> connections(List<Long> pks) {
        if (pks.isEmpty()) {
            return Map.of();
        }
        return em.createQuery("select c from ConnectionStatus c where c.devicePk in :pks", ConnectionStatus.class)
                .setParameter("pks", pks).getResultStream()
                .collect(Collectors.toMap(status -> status.devicePk, Function.identity()));
    }

    private static void appendCursor(DeviceQuery query, StringBuilder sql, Map<String, Object> parameters) {
        if (query.cursor() == null) {
            return;
        }
        String comparison = query.sort().descending() ? "<" : ">";
        String[] parts = decode(query.cursor(), query.sort());
        if (query.sort().byCreated()) {
            sql.append(" and (d.created_at, d.device_id) ").append(comparison).append(" (:afterCreated, :afterId)");
            parameters.put("afterCreated", Timestamp.from(Instant.EPOCH.plus(Long.parseLong(parts[0]), ChronoUnit.MICROS)));
            parameters.put("afterId", parts[1]);
        } else {
            sql.append(" and d.device_id ").append(comparison).append(" :afterId");
            parameters.put("afterId", parts[0]);
        }
    }

    private static String cursorOf(DeviceSort sort, Object[] lastRow) {
        String deviceId = (String) lastRow[1];
        String key;
        if (sort.byCreated()) {
            Instant created = lastRow[2] instanceof Timestamp timestamp ? timestamp.toInstant() : (Instant) lastRow[2];
            key = ChronoUnit.MICROS.between(Instant.EPOCH, created) + "|" + deviceId;
        } else {
            key = deviceId;
        }
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
