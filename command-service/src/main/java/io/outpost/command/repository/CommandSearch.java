package io.outpost.command.repository;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.outpost.command.Command;
import io.outpost.contracts.CommandState;
import io.outpost.rest.KeysetCursor;
import io.outpost.rest.Page;
import io.quarkus.panache.common.Parameters;

/**
 * Keyset-paged command lists, newest first: the cursor holds the creation time and id of the last row returned, so a
 * page costs the same at any depth and commands created meanwhile never make a page repeat or skip one.
 */
@ApplicationScoped
public class CommandSearch {

    /** What to list; {@code device} and {@code states} are optional filters. */
    public record Query(String tenant, String device, Set<CommandState> states, String cursor, int limit) {
    }

    /** One page and the cursor of the next (null on the last page). */
    public record Result(List<Command> commands, String nextCursor) {
    }

    @Transactional
    public Result search(Query query) {
        StringBuilder where = new StringBuilder("tenantId = :tenant");
        Parameters parameters = Parameters.with("tenant", query.tenant());
        if (query.device() != null) {
            where.append(" and deviceId = :device");
            parameters.and("device", query.device());
        }
        if (query.states() != null && !query.states().isEmpty()) {
            where.append(" and state in :states");
            parameters.and("states", query.states());
        }
        if (query.cursor() != null) {
            KeysetCursor cursor = KeysetCursor.decode(query.cursor());
            where.append(" and (createdAt < :at or (createdAt = :at and id < :id))");
            parameters.and("at", cursor.at()).and("id", cursor.id());
        }
        where.append(" order by createdAt desc, id desc");
        List<Command> rows = Command.<Command>find(where.toString(), parameters).range(0, query.limit()).list();
        Page<Command> page = KeysetCursor.page(rows, query.limit(), command -> command.createdAt, command -> command.id);
        return new Result(page.items(), page.nextCursor());
    }
}
