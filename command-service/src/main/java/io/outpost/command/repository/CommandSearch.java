package io.outpost.command.repository;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.outpost.command.Command;
import io.outpost.contracts.CommandState;
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
            Cursor cursor = Cursor.decode(query.cursor());
            where.append(" and (createdAt < :at or (createdAt = :at and id < :id))");
            parameters.and("at", cursor.createdAt()).and("id", cursor.id());
        }
        where.append(" order by createdAt desc, id desc");
        List<Command> rows = Command.<Command>find(where.toString(), parameters).range(0, query.limit()).list();
        boolean more = rows.size() > query.limit();
        List<Command> page = more ? rows.subList(0, query.limit()) : rows;
        String next = more ? Cursor.of(page.get(page.size() - 1)) : null;
        return new Result(List.copyOf(page), next);
    }

    /** The sort key of the last row of a page. */
    record Cursor(Instant createdAt, String id) {
        static String of(Command last) {
            String text = ChronoUnit.MICROS.between(Instant.EPOCH, last.createdAt) + "|" + last.id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String cursor) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
                if (parts.length != 2 || parts[1].isEmpty()) {
                    throw new InvalidCursorException();
                }
                return new Cursor(Instant.EPOCH.plus(Long.parseLong(parts[0]), ChronoUnit.MICROS), parts[1]);
            } catch (IllegalArgumentException e) {
                throw new InvalidCursorException();
            }
        }
    }

    /** The cursor was not issued by a command list. */
    public static class InvalidCursorException extends RuntimeException {
        public InvalidCursorException() {
            super("cursor is not valid; start again without one");
        }
    }
}
