package io.outpost.remoteaccess.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.RemoteAccessEvent;
import io.outpost.contracts.RemoteAccessEventType;

/** The audit of a tenant, newest first, filtered; a page continues below the last row's sequence number. */
@ApplicationScoped
public class AuditSearch {
    @Inject
    EntityManager entityManager;
    @Inject
    ObjectMapper json;

    /** Filters; null or empty means any. */
    public record Filter(String device, String tunnel, Set<RemoteAccessEventType> types, Instant from, Instant to) {
    }

    /** Up to {@code limit + 1} rows (the extra one says another page follows) below {@code beforeSeq}. */
    public List<Row> search(String tenant, Filter filter, Long beforeSeq, int limit) {
        StringBuilder sql = new StringBuilder("select seq, event::text from remote_access_audit where tenant_id = :t");
        if (filter.device() != null) {
            sql.append(" and scope = 'device' and target = :device");
        }
        if (filter.tunnel() != null) {
            sql.append(" and tunnel_id = :tunnel");
        }
        if (!filter.types().isEmpty()) {
            sql.append(" and type in (:types)");
        }
        if (filter.from() != null) {
            sql.append(" and at >= :from");
        }
        if (filter.to() != null) {
            sql.append(" and at < :to");
        }
        if (beforeSeq != null) {
            sql.append(" and seq < :before");
        }
        sql.append(" order by seq desc limit :limit");
        Query query = entityManager.createNativeQuery(sql.toString());
        query.setParameter("t", tenant).setParameter("limit", limit + 1);
        if (filter.device() != null) {
            query.setParameter("device", filter.device());
        }
        if (filter.tunnel() != null) {
            query.setParameter("tunnel", filter.tunnel());
        }
        if (!filter.types().isEmpty()) {
            query.setParameter("types", filter.types().stream().map(Enum::name).toList());
        }
        if (filter.from() != null) {
            query.setParameter("from", filter.from());
        }
        if (filter.to() != null) {
            query.setParameter("to", filter.to());
        }
        if (beforeSeq != null) {
            query.setParameter("before", beforeSeq);
        }
        List<Row> rows = new ArrayList<>();
        for (Object result : query.getResultList()) {
            Object[] columns = (Object[]) result;
            rows.add(new Row(((Number) columns[0]).longValue(), parse((String) columns[1])));
        }
        return rows;
    }

    private RemoteAccessEvent parse(String text) {
        try {
            // Rows written by a newer version may hold fields this one does not know: read past them.
            return json.readerFor(RemoteAccessEvent.class)
                    .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("an audit row holds the event as it was written", e);
        }
    }

    public record Row(long seq, RemoteAccessEvent event) {
    }
}
