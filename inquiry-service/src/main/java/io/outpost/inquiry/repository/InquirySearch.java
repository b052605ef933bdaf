package io.outpost.inquiry.repository;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.outpost.inquiry.Inquiry;
import io.outpost.inquiry.InquiryState;
import io.outpost.rest.KeysetCursor;
import io.outpost.rest.Page;
import io.quarkus.panache.common.Parameters;

/** Keyset-paged inquiry lists, newest first (see {@link KeysetCursor}). */
@ApplicationScoped
public class InquirySearch {

    /** The tenant's list; every filter is optional. */
    public record Query(String tenant, String device, String name, String requestId, Set<InquiryState> states,
            String cursor, int limit) {
    }

    public record Result(List<Inquiry> items, String nextCursor) {
    }

    @Transactional
    public Result search(Query query) {
        StringBuilder where = new StringBuilder("tenantId = :tenant");
        Parameters parameters = Parameters.with("tenant", query.tenant());
        if (query.device() != null) {
            where.append(" and deviceId = :device");
            parameters.and("device", query.device());
        }
        if (query.name() != null) {
            where.append(" and name = :name");
            parameters.and("name", query.name());
        }
        if (query.requestId() != null) {
            where.append(" and requestId = :requestId");
            parameters.and("requestId", query.requestId());
        }
        if (!query.states().isEmpty()) {
            where.append(" and state in :states");
            parameters.and("states", query.states());
        }
        if (query.cursor() != null) {
            KeysetCursor cursor = KeysetCursor.decode(query.cursor());
            where.append(" and (openedAt < :at or (openedAt = :at and id < :id))");
            parameters.and("at", cursor.at()).and("id", cursor.id());
        }
        where.append(" order by openedAt desc, id desc");
        List<Inquiry> rows = Inquiry.<Inquiry>find(where.toString(), parameters).range(0, query.limit()).list();
        Page<Inquiry> page = KeysetCursor.page(rows, query.limit(), inquiry -> inquiry.openedAt, inquiry -> inquiry.id);
        return new Result(page.items(), page.nextCursor());
    }
}
