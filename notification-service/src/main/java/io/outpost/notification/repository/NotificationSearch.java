package io.outpost.notification.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.outpost.contracts.Audience;
import io.outpost.mailbox.Clock;
import io.outpost.notification.Notification;
import io.outpost.notification.NotificationState;
import io.outpost.notification.Target;
import io.outpost.rest.KeysetCursor;
import io.outpost.rest.Page;
import io.quarkus.panache.common.Parameters;

/** Keyset-paged notification lists, newest first (see {@link KeysetCursor}). */
@ApplicationScoped
public class NotificationSearch {
    @Inject
    EntityManager entityManager;

    /** The tenant's list; every filter is optional; {@code since} inclusive, {@code until} exclusive (created). */
    public record Query(String tenant, Target target, Set<NotificationState> states, Instant since, Instant until,
            String cursor, int limit) {
    }

    /** A notification in a device's list, with when it reached the device (null while pending). */
    public record ForDevice(Notification notification, Instant deliveredAt) {
    }

    public record Result<T>(List<T> items, String nextCursor) {
    }

    @Transactional
    public Result<Notification> search(Query query) {
        StringBuilder where = new StringBuilder("tenantId = :tenant");
        Parameters parameters = Parameters.with("tenant", query.tenant());
        if (query.target() != null) {
            where.append(" and audience = :audience");
            parameters.and("audience", query.target().audience());
            if (query.target().id() != null) {
                where.append(" and target = :target");
                parameters.and("target", query.target().id());
            }
        }
        if (!query.states().isEmpty()) {
            where.append(" and state in :states");
            parameters.and("states", query.states());
        }
        if (query.since() != null) {
            where.append(" and createdAt >= :since");
            parameters.and("since", query.since());
        }
        if (query.until() != null) {
            where.append(" and createdAt < :until");
            parameters.and("until", query.until());
        }
        if (query.cursor() != null) {
            KeysetCursor cursor = KeysetCursor.decode(query.cursor());
            where.append(" and (createdAt < :at or (createdAt = :at and id < :id))");
            parameters.and("at", cursor.at()).and("id", cursor.id());
        }
        where.append(" order by createdAt desc, id desc");
        List<Notification> rows = Notification.<Notification>find(where.toString(), parameters)
                .range(0, query.limit()).list();
        return page(rows, query.limit(), Function.identity());
    }

    /**
     * What the device got or will get: its own notifications, the group and fleet ones it got, and the live ones of its
     * groups and fleet it has not got yet (membership as the registry has it now). Nothing of a predecessor with the
     * same id: its own notifications and deliveries count from {@code incarnation} (the device's createdAt) on.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public Result<ForDevice> forDevice(String tenant, String device, Instant incarnation, List<String> groups,
            String cursor, int limit) {
        StringBuilder sql = new StringBuilder("select n.id,"
                + " case when d.undeliverable_reason is null then d.delivered_at end from notification n"
                + " left join notification_delivery d on d.notification_id = n.id and d.device_id = :device"
                + " and d.delivered_at >= :since"
                + " where n.tenant_id = :tenant and ((n.audience = 'DEVICE' and n.target = :device"
                + " and n.created_at >= :since)"
                + " or d.device_id is not null or (n.state in ('ACTIVE', 'FINISHED') and n.expires_at > :now"
                + " and (n.audience = 'FLEET'" + (groups.isEmpty() ? "" : " or (n.audience = 'GROUP' and n.target in (:groups))")
                + ")))");
        Map<String, Object> parameters = new HashMap<>(Map.of("tenant", tenant, "device", device, "now", Clock.now(),
                "since", incarnation == null ? Instant.EPOCH : incarnation));
        if (!groups.isEmpty()) {
            parameters.put("groups", groups);
        }
        if (cursor != null) {
            KeysetCursor after = KeysetCursor.decode(cursor);
            sql.append(" and (n.created_at < :at or (n.created_at = :at and n.id < :id))");
            parameters.put("at", after.at());
            parameters.put("id", after.id());
        }
        sql.append(" order by n.created_at desc, n.id desc limit ").append(limit + 1);
        var query = entityManager.createNativeQuery(sql.toString());
        parameters.forEach(query::setParameter);
        List<Object[]> rows = query.getResultList();
        Map<String, Notification> byId = Notification.<Notification>list("id in ?1",
                rows.stream().map(row -> (String) row[0]).toList()).stream()
                .collect(Collectors.toMap(notification -> notification.id, Function.identity()));
        List<ForDevice> items = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            items.add(new ForDevice(byId.get((String) row[0]), instant(row[1])));
        }
        return page(items, limit, ForDevice::notification);
    }

    private static <T> Result<T> page(List<T> rows, int limit, Function<T, Notification> notification) {
        Page<T> page = KeysetCursor.page(rows, limit, row -> notification.apply(row).createdAt,
                row -> notification.apply(row).id);
        return new Result<>(page.items(), page.nextCursor());
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof Instant instant ? instant : ((java.sql.Timestamp) value).toInstant();
    }
}
