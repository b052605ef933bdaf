package io.outpost.command.mailbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.outpost.contracts.DeliveryReceipt;
import io.outpost.contracts.DeliveryStatus;
import io.outpost.contracts.MessageKind;
import io.outpost.contracts.OutboundMessage;

/**
 * The durable per-device mailbox (ARCHITECTURE.md, "The mailbox"): messages are stored in PostgreSQL with an expiry,
 * published through the {@link Outbox} in the same transaction, re-published in creation order when the device
 * connects or subscribes, and leave PENDING exactly once: DELIVERED (receipt), EXPIRED (sweeper or receipt) or
 * CANCELLED (owner). Every such move fires a {@link MailboxTransition} inside the transaction, for the owner.
 * <p>
 * Concurrency: writes for one device are serialized by a transaction-scoped advisory lock on the device, which keeps
 * the bound exact and one device's outbox records in commit order; a message's row is locked (FOR UPDATE) before its
 * state changes, and owners lock their own rows only after it.
 */
@ApplicationScoped
public class Mailbox {
    private static final Logger LOG = Logger.getLogger(Mailbox.class);

    @Inject
    DataSource dataSource;
    @Inject
    Outbox outbox;
    @Inject
    MailboxConfig config;
    @Inject
    Event<MailboxTransition> transitions;

    /** A stored message's content, for its owner to show. */
    public record Content(String contentType, byte[] payload, String mqttTopic) {
    }

    /** Serializes writers of one device's mailbox until the transaction ends. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockDevice(String tenant, String device) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement lock = connection.prepareStatement(
                        "select pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            lock.setString(1, "mailbox:" + tenant + "/" + device);
            lock.executeQuery().close();
        } catch (SQLException e) {
            throw new IllegalStateException("locking the mailbox of " + tenant + "/" + device + " failed", e);
        }
    }

    /** Pending, unexpired messages of the device. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int pending(String tenant, String device) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement("select count(*) from mailbox_message"
                        + " where tenant_id = ? and device_id = ? and state = 'PENDING' and expires_at > ?")) {
            count.setString(1, tenant);
            count.setString(2, device);
            count.setTimestamp(3, Timestamp.from(Clock.now()));
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting the mailbox of " + tenant + "/" + device + " failed", e);
        }
    }

    /**
     * Stores the message as PENDING and publishes it after the commit, in the caller's transaction.
     *
     * @throws MailboxFullException if the device already has {@link MailboxConfig#maxPendingPerDevice()} pending
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void store(OutboundMessage message) {
        lockDevice(message.tenant(), message.device());
        int limit = config.maxPendingPerDevice();
        if (pending(message.tenant(), message.device()) >= limit) {
            throw new MailboxFullException(message.tenant(), message.device(), limit);
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("insert into mailbox_message (id, tenant_id,"
                        + " device_id, kind, mqtt_topic, content_type, payload, created_at, expires_at, state, state_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?)")) {
            insert.setString(1, message.id());
            insert.setString(2, message.tenant());
            insert.setString(3, message.device());
            insert.setString(4, message.kind().name());
            insert.setString(5, message.mqttTopic());
            insert.setString(6, message.contentType());
            insert.setBytes(7, message.payload());
            insert.setTimestamp(8, Timestamp.from(message.createdAt()));
            insert.setTimestamp(9, Timestamp.from(message.expiresAt()));
            insert.setTimestamp(10, Timestamp.from(message.createdAt()));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("storing message " + message.id() + " failed", e);
        }
        outbox.publish(List.of(message.id()));
    }

    /** Locks the message's row for the rest of the transaction; its state, or empty if there is no such message. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<MailboxState> lock(String id) {
        return row(id).map(Row::state);
    }

    /** PENDING -> DELIVERED; false if the message is not pending (a late or repeated receipt changes nothing). */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean markDelivered(String id, Instant at, String reason) {
        return leavePending(id, MailboxState.DELIVERED, at, reason);
    }

    /**
     * Applies a bridge node's delivery receipt: DELIVERED and EXPIRED move a pending message out of PENDING; anything
     * else, a receipt for a message that is no longer pending, or one whose tenant and device do not match the message,
     * changes nothing.
     *
     * @return true if the message changed state
     */
    @Transactional
    public boolean applyReceipt(DeliveryReceipt receipt) {
        MailboxState to = switch (receipt.status()) {
            case DELIVERED -> MailboxState.DELIVERED;
            case EXPIRED -> MailboxState.EXPIRED;
            case REJECTED -> null;
        };
        Optional<Row> row = row(receipt.messageId());
        if (to == null || row.isEmpty() || !row.get().tenant().equals(receipt.tenant())
                || !row.get().device().equals(receipt.device())) {
            return false;
        }
        if (row.get().state() != MailboxState.PENDING) {
            LOG.debugf("late %s receipt of %s ignored: already %s", receipt.status(), receipt.messageId(),
                    row.get().state());
            return false;
        }
        Instant at = receipt.at() == null ? Clock.now() : receipt.at().truncatedTo(ChronoUnit.MICROS);
        String reason = receipt.status() == DeliveryStatus.DELIVERED
                ? "acknowledged by the device on " + receipt.node()
                : "expired on " + receipt.node() + (receipt.reason() == null ? "" : ": " + receipt.reason());
        update(row.get(), to, at, reason);
        return true;
    }

    /** PENDING -> EXPIRED; false if the message is not pending. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean expire(String id, Instant at, String reason) {
        return leavePending(id, MailboxState.EXPIRED, at, reason);
    }

    /**
     * PENDING -> CANCELLED: never published again. A copy a bridge node already holds for a connected device may still
     * reach it; its receipt then changes nothing.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean cancel(String id, Instant at, String reason) {
        return leavePending(id, MailboxState.CANCELLED, at, reason);
    }

    /**
     * Re-publishes the device's pending, unexpired messages in creation order, for the session that just connected or
     * subscribed. Messages already re-published for this session are left out: the bridge node holds them until the
     * device subscribes. So a session's two events send each message once, in whichever order they are handled.
     *
     * @return how many messages were re-published
     */
    @Transactional
    public int republish(String tenant, String device, String sessionId) {
        // Most devices have nothing pending: they cost one index probe, no lock. A message stored right after this
        // probe was published by its own store, after the device's session began.
        if (pending(tenant, device) == 0) {
            return 0;
        }
        lockDevice(tenant, device);
        List<String> ids = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement select = connection.prepareStatement("select id, last_session from mailbox_message"
                    + " where tenant_id = ? and device_id = ? and state = 'PENDING' and expires_at > ? order by seq")) {
                select.setString(1, tenant);
                select.setString(2, device);
                select.setTimestamp(3, Timestamp.from(Clock.now()));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        if (sessionId == null || !sessionId.equals(rs.getString(2))) {
                            ids.add(rs.getString(1));
                        }
                    }
                }
            }
            if (!ids.isEmpty() && sessionId != null) {
                try (PreparedStatement mark = connection.prepareStatement(
                        "update mailbox_message set last_session = ? where id = any(?)")) {
                    mark.setString(1, sessionId);
                    mark.setArray(2, connection.createArrayOf("text", ids.toArray()));
                    mark.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("re-publishing the mailbox of " + tenant + "/" + device + " failed", e);
        }
        outbox.publish(ids);
        return ids.size();
    }

    /**
     * Marks up to {@code limit} pending messages whose expiry (plus the grace) has passed EXPIRED; rows another
     * instance is sweeping or changing are skipped.
     *
     * @return how many were expired
     */
    @Transactional
    public int expireDue(int limit) {
        Instant now = Clock.now();
        List<Row> due = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select id, kind, tenant_id, device_id, state"
                        + " from mailbox_message where state = 'PENDING' and expires_at <= ?"
                        + " order by expires_at limit ? for update skip locked")) {
            select.setTimestamp(1, Timestamp.from(now.minus(config.expiryGrace())));
            select.setInt(2, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    due.add(new Row(rs.getString(1), MessageKind.valueOf(rs.getString(2)), rs.getString(3),
                            rs.getString(4), MailboxState.valueOf(rs.getString(5))));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("finding expired messages failed", e);
        }
        for (Row row : due) {
            update(row, MailboxState.EXPIRED, now, "expired before delivery");
        }
        return due.size();
    }

    /** The stored content of a message, if it exists. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Content> content(String id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select content_type, payload, mqtt_topic from mailbox_message where id = ?")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(new Content(rs.getString(1), rs.getBytes(2), rs.getString(3)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading message " + id + " failed", e);
        }
    }

    /** Deletes messages for good (their owner's retention ended); the owner's rows referencing them go with them. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void delete(Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("delete from mailbox_message where id = any(?)")) {
            delete.setArray(1, connection.createArrayOf("text", ids.toArray()));
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("deleting messages failed", e);
        }
    }

    private boolean leavePending(String id, MailboxState to, Instant at, String reason) {
        Optional<Row> row = row(id);
        if (row.isEmpty() || row.get().state() != MailboxState.PENDING) {
            LOG.debugf("%s of %s ignored: %s", to, id, row.map(r -> r.state().name()).orElse("unknown"));
            return false;
        }
        update(row.get(), to, at, reason);
        return true;
    }

    private void update(Row row, MailboxState to, Instant at, String reason) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "update mailbox_message set state = ?, state_at = ? where id = ?")) {
            update.setString(1, to.name());
            update.setTimestamp(2, Timestamp.from(at));
            update.setString(3, row.id());
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("updating message " + row.id() + " failed", e);
        }
        transitions.fire(new MailboxTransition(row.id(), row.kind(), row.tenant(), row.device(), to, at, reason));
    }

    private Optional<Row> row(String id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select id, kind, tenant_id, device_id, state"
                        + " from mailbox_message where id = ? for update")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Row(rs.getString(1), MessageKind.valueOf(rs.getString(2)), rs.getString(3),
                        rs.getString(4), MailboxState.valueOf(rs.getString(5))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("locking message " + id + " failed", e);
        }
    }

    private record Row(String id, MessageKind kind, String tenant, String device, MailboxState state) {
    }
}
