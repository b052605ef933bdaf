package io.outpost.mailbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

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
import io.outpost.contracts.RegistryDevice;
import io.outpost.messaging.TraceContext;
import io.outpost.registryview.DeviceDirectory;

/**
 * The durable per-device mailbox (ARCHITECTURE.md, "The mailbox"): messages are stored in PostgreSQL with an expiry,
 * published through the {@link Outbox} in the same transaction, re-published in creation order when the device
 * connects or subscribes, and leave PENDING exactly once: DELIVERED (receipt), EXPIRED (the owner's clock),
 * CANCELLED (owner, or replaced by a newer message of the same stream) or UNDELIVERABLE (larger than the device takes).
 * Every such move fires a {@link MailboxTransition} inside the transaction, for the owner. Each message records the
 * incarnation of its device as the registry view knows it when stored, so a bridge never hands it to a device created
 * again with the same id.
 * <p>
 * Sessions ({@link MailboxSessions}) decide what goes out when: a message stored while the device's session is online
 * goes out at once, marked with the session; one stored while the device is offline, or before any session of it was
 * seen, waits for the next session's re-publish. So a send that races a connect reaches the device once and in
 * creation order.
 * <p>
 * Concurrency: writes for one device are serialized by a transaction-scoped advisory lock on the device, which keeps
 * the bound exact and one device's outbox records in commit order; a message's row is locked (FOR UPDATE) before its
 * state changes, and owners lock their own rows only after it.
 * <p>
 * Tracing: each message keeps the trace context of the span that stored it (the current one, or the one a group
 * commit's caller had, {@link #storeAll(List, Function, Function)}); every record that publishes it carries it, so its
 * delivery joins that trace. Nothing is kept while tracing is off.
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
    @Inject
    Event<MailboxReceipt> receipts;
    @Inject
    DeviceDirectory directory;

    /** A stored message's content, for its owner to show. */
    public record Content(String contentType, byte[] payload, String mqttTopic) {
    }

    /** Serializes writers of one device's mailbox until the transaction ends. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockDevice(String tenant, String device) {
        lockDevices(List.of(key(tenant, device)));
    }

    /**
     * Locks the mailboxes of several devices ({@code tenant/device} keys) until the transaction ends, always in the
     * same order, so two transactions locking overlapping sets cannot deadlock.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockDevices(Collection<String> keys) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement lock = connection.prepareStatement("select pg_advisory_xact_lock(hashtextextended(k,"
                        + " 0)) from (select distinct k from unnest(?) as k order by k) as sorted")) {
            lock.setArray(1, connection.createArrayOf("text", keys.stream().map(key -> "mailbox:" + key).toArray()));
            lock.executeQuery().close();
        } catch (SQLException e) {
            throw new IllegalStateException("locking the mailboxes of " + keys.size() + " devices failed", e);
        }
    }

    /** Pending, unexpired messages of the device. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int pending(String tenant, String device) {
        String key = key(tenant, device);
        return deviceStates(List.of(key)).get(key).pending();
    }

    /**
     * Stores the message as PENDING in the caller's transaction; it is published after the commit if the device is
     * online, otherwise on its next session.
     *
     * @throws MailboxFullException if the device already has {@link MailboxConfig#maxPendingPerDevice()} pending
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void store(OutboundMessage message) {
        store(message, null);
    }

    /**
     * Like {@link #store(OutboundMessage)}; a pending message of the device with the same {@code streamKey} is
     * CANCELLED first ("replaced by" the new one), so a stream keeps one pending message per device.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void store(OutboundMessage message, String streamKey) {
        store(message, streamKey, true);
    }

    /**
     * Stores the message in the stream {@code streamKey}; with {@code replacePending} a pending message of the device
     * in the same stream is CANCELLED first ("replaced by" the new one), without it the stream keeps every message
     * and {@link #cancelStream} can still end them all.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void store(OutboundMessage message, String streamKey, boolean replacePending) {
        lockDevice(message.tenant(), message.device());
        if (streamKey != null && replacePending) {
            cancelStream(message.tenant(), message.device(), streamKey, message.createdAt(),
                    "replaced by " + message.id());
        }
        TraceContext current = TraceContext.current();
        if (!storeLocked(List.of(message), stored -> streamKey, stored -> current).get(0)) {
            throw new MailboxFullException(message.tenant(), message.device(), config.maxPendingPerDevice());
        }
    }

    /**
     * Stores many messages at once, in the caller's transaction and in list order: the group-commit form of
     * {@link #store(OutboundMessage)}, a few statements for the whole list. A message for a device whose mailbox is
     * full (counting the messages before it in the list) is not stored.
     *
     * @return per message, in list order, whether it was stored
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Boolean> storeAll(List<OutboundMessage> messages) {
        return storeAll(messages, message -> null);
    }

    /**
     * Like {@link #storeAll(List)}, each message in the stream {@code streamKey} names (null: none); nothing pending is
     * replaced (an owner that wants "latest only" cancels the stream's pending messages with {@link #cancelStream}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Boolean> storeAll(List<OutboundMessage> messages, Function<OutboundMessage, String> streamKey) {
        TraceContext current = TraceContext.current();
        return storeAll(messages, streamKey, message -> current);
    }

    /**
     * Like {@link #storeAll(List, Function)}, each message with the trace context {@code trace} gives it (e.g. the one
     * its caller had when it handed the message to a group commit, whose writer thread has none of its own).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Boolean> storeAll(List<OutboundMessage> messages, Function<OutboundMessage, String> streamKey,
            Function<OutboundMessage, TraceContext> trace) {
        lockDevices(messages.stream().map(m -> key(m.tenant(), m.device())).toList());
        return storeLocked(messages, streamKey, trace);
    }

    private List<Boolean> storeLocked(List<OutboundMessage> messages, Function<OutboundMessage, String> streamKey,
            Function<OutboundMessage, TraceContext> trace) {
        Map<String, DeviceState> devices = deviceStates(messages.stream().map(m -> key(m.tenant(), m.device()))
                .toList());
        List<Boolean> stored = new ArrayList<>(messages.size());
        List<String> publishNow = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("insert into mailbox_message (id, tenant_id,"
                        + " device_id, kind, mqtt_topic, content_type, payload, created_at, expires_at, state, state_at,"
                        + " last_session, stream_key, device_incarnation, traceparent, tracestate)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?)")) {
            for (OutboundMessage message : messages) {
                DeviceState device = devices.get(key(message.tenant(), message.device()));
                boolean fits = device.take(config.maxPendingPerDevice());
                stored.add(fits);
                if (!fits) {
                    continue;
                }
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
                insert.setString(11, device.onlineSession());
                insert.setString(12, streamKey.apply(message));
                insert.setTimestamp(13, directory.find(key(message.tenant(), message.device()))
                        .map(RegistryDevice::createdAt).map(Timestamp::from).orElse(null));
                TraceContext context = trace.apply(message);
                insert.setString(14, context.traceparent());
                insert.setString(15, context.tracestate());
                insert.addBatch();
                if (device.publishNow()) {
                    publishNow.add(message.id());
                }
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("storing " + messages.size() + " messages failed", e);
        }
        outbox.publish(publishNow);
        return stored;
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
     * Applies a bridge node's delivery receipt. DELIVERED moves a pending message to DELIVERED. EXPIRED does so only
     * once the message has expired by this owner's clock: a bridge whose clock runs fast never expires a message
     * early (it stays pending and goes out on the next session). A receipt for a message that is no longer pending,
     * or whose tenant and device do not match the message, changes nothing. Owners hear of every receipt of their
     * kind through {@link MailboxReceipt}, in the same transaction.
     *
     * @return true if the message changed state
     */
    @Transactional
    public boolean applyReceipt(DeliveryReceipt receipt) {
        Optional<Change> change = change(receipt, row(receipt.messageId()));
        change.ifPresent(this::update);
        receipts.fire(new MailboxReceipt(receipt, change.isPresent()));
        return change.isPresent();
    }

    /**
     * Applies many receipts in one transaction, in order, as {@link #applyReceipt} does each: their messages are locked
     * in one statement (in id order, as every batch locks them) and changed in one batch, then the owner hears of each
     * receipt in order.
     *
     * @return per receipt, in order: null if it changed the message's state, else the receipt (it changed nothing)
     */
    @Transactional
    public List<DeliveryReceipt> applyReceipts(List<DeliveryReceipt> batch) {
        Map<String, Row> rows = rows(batch.stream().map(DeliveryReceipt::messageId).distinct().toList());
        List<Optional<Change>> changes = new ArrayList<>(batch.size());
        for (DeliveryReceipt receipt : batch) {
            Optional<Change> change = change(receipt, Optional.ofNullable(rows.get(receipt.messageId())));
            // A second receipt of the same message in this batch finds it no longer pending.
            change.ifPresent(moved -> rows.put(moved.row().id(), moved.row().in(moved.to())));
            changes.add(change);
        }
        updateAll(changes.stream().flatMap(Optional::stream).toList());
        List<DeliveryReceipt> ignored = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Optional<Change> change = changes.get(i);
            change.ifPresent(this::fireTransition);
            receipts.fire(new MailboxReceipt(batch.get(i), change.isPresent()));
            ignored.add(change.isPresent() ? null : batch.get(i));
        }
        return ignored;
    }

    /** What the receipt does to its message: nothing, or a move out of PENDING. */
    private Optional<Change> change(DeliveryReceipt receipt, Optional<Row> found) {
        if (receipt.status() == DeliveryStatus.REJECTED || found.isEmpty()
                || !found.get().tenant().equals(receipt.tenant()) || !found.get().device().equals(receipt.device())) {
            return Optional.empty();
        }
        Row row = found.get();
        if (row.state() != MailboxState.PENDING) {
            LOG.debugf("late %s receipt of %s ignored: already %s", receipt.status(), receipt.messageId(), row.state());
            return Optional.empty();
        }
        Instant now = Clock.now();
        if (receipt.status() == DeliveryStatus.EXPIRED && now.isBefore(row.expiresAt())) {
            LOG.debugf("EXPIRED receipt of %s from %s ignored: it expires at %s by this owner's clock",
                    receipt.messageId(), receipt.node(), row.expiresAt());
            return Optional.empty();
        }
        Instant at = receipt.at() == null ? now : receipt.at().truncatedTo(ChronoUnit.MICROS);
        if (receipt.status() == DeliveryStatus.DELIVERED) {
            return Optional.of(new Change(row, MailboxState.DELIVERED, at,
                    "acknowledged by the device on " + receipt.node()));
        } else if (receipt.status() == DeliveryStatus.UNDELIVERABLE) {
            return Optional.of(new Change(row, MailboxState.UNDELIVERABLE, at, "not deliverable, " + receipt.reason()));
        }
        return Optional.of(new Change(row, MailboxState.EXPIRED, now,
                "expired on " + receipt.node() + (receipt.reason() == null ? "" : ": " + receipt.reason())));
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
                PreparedStatement select = connection.prepareStatement("select " + Row.COLUMNS
                        + " from mailbox_message where state = 'PENDING' and expires_at <= ?"
                        + " order by expires_at limit ? for update skip locked")) {
            select.setTimestamp(1, Timestamp.from(now.minus(config.expiryGrace())));
            select.setInt(2, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    due.add(Row.of(rs));
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

    /** The trace context the message was stored with; {@link TraceContext#NONE} if none, or no such message. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public TraceContext trace(String id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select traceparent, tracestate from mailbox_message where id = ?")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? TraceContext.of(rs.getString("traceparent"), rs.getString("tracestate"))
                        : TraceContext.NONE;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the trace of message " + id + " failed", e);
        }
    }

    /** The stored content of a message, if it exists. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Content> content(String id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select content_type, payload, mqtt_topic from mailbox_message where id = ?")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(new Content(rs.getString("content_type"), rs.getBytes("payload"),
                        rs.getString("mqtt_topic"))) : Optional.empty();
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

    private static String key(String tenant, String device) {
        return tenant + "/" + device;
    }

    /**
     * What a store needs to know of a device: its pending messages (counted up as a batch takes room) and its session.
     * Only a device online in a known session gets a message at once; one offline, or never seen, gets it from the
     * re-publish of its next session, so a send racing a connect cannot overtake the messages stored before it.
     */
    private static final class DeviceState {
        private int pending;
        private final String onlineSession;

        DeviceState(int pending, String onlineSession) {
            this.pending = pending;
            this.onlineSession = onlineSession;
        }

        int pending() {
            return pending;
        }

        String onlineSession() {
            return onlineSession;
        }

        boolean publishNow() {
            return onlineSession != null;
        }

        /** Takes room for one more message; false if the mailbox is full. */
        boolean take(int limit) {
            if (pending >= limit) {
                return false;
            }
            pending++;
            return true;
        }
    }

    /** The state of the devices ({@code tenant/device} keys), in one round trip. */
    private Map<String, DeviceState> deviceStates(List<String> keys) {
        List<String> tenants = new ArrayList<>();
        List<String> devices = new ArrayList<>();
        keys.stream().distinct().forEach(key -> {
            int slash = key.indexOf('/');
            tenants.add(key.substring(0, slash));
            devices.add(key.substring(slash + 1));
        });
        Map<String, DeviceState> states = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select k.tenant_id, k.device_id,"
                        + " (select count(*) from mailbox_message m where m.tenant_id = k.tenant_id"
                        + " and m.device_id = k.device_id and m.state = 'PENDING' and m.expires_at > ?) as pending,"
                        + " s.session_id, s.online from unnest(?, ?) as k (tenant_id, device_id)"
                        + " left join mailbox_session s on s.tenant_id = k.tenant_id and s.device_id = k.device_id")) {
            select.setTimestamp(1, Timestamp.from(Clock.now()));
            select.setArray(2, connection.createArrayOf("text", tenants.toArray()));
            select.setArray(3, connection.createArrayOf("text", devices.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    states.put(key(rs.getString("tenant_id"), rs.getString("device_id")), new DeviceState(
                            rs.getInt("pending"), rs.getBoolean("online") ? rs.getString("session_id") : null));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the mailboxes of " + tenants.size() + " devices failed", e);
        }
        return states;
    }

    /**
     * PENDING -> CANCELLED for every pending message of the device in the stream, e.g. the answers of an inquiry the
     * device cancelled; the caller holds the device's lock.
     *
     * @return how many were cancelled
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int cancelStream(String tenant, String device, String streamKey, Instant at, String reason) {
        List<Row> pending = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select " + Row.COLUMNS + " from mailbox_message"
                        + " where tenant_id = ? and device_id = ? and stream_key = ? and state = 'PENDING' for update")) {
            select.setString(1, tenant);
            select.setString(2, device);
            select.setString(3, streamKey);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    pending.add(Row.of(rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cancelling stream " + streamKey + " failed", e);
        }
        for (Row row : pending) {
            update(row, MailboxState.CANCELLED, at, reason);
        }
        return pending.size();
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
        update(new Change(row, to, at, reason));
    }

    private void update(Change change) {
        updateAll(List.of(change));
        fireTransition(change);
    }

    /** Writes the moves in one batch; their transitions are the caller's to fire. */
    private void updateAll(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "update mailbox_message set state = ?, state_at = ? where id = ?")) {
            for (Change change : changes) {
                update.setString(1, change.to().name());
                update.setTimestamp(2, Timestamp.from(change.at()));
                update.setString(3, change.row().id());
                update.addBatch();
            }
            update.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("updating " + changes.size() + " messages failed", e);
        }
    }

    private void fireTransition(Change change) {
        Row row = change.row();
        transitions.fire(new MailboxTransition(row.id(), row.kind(), row.tenant(), row.device(), change.to(),
                change.at(), change.reason(), row.streamKey()));
    }

    /** The messages with these ids that exist, locked for the rest of the transaction in id order, by id. */
    private Map<String, Row> rows(List<String> ids) {
        Map<String, Row> rows = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select " + Row.COLUMNS
                        + " from mailbox_message where id = any(?) order by id for update")) {
            select.setArray(1, connection.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Row row = Row.of(rs);
                    rows.put(row.id(), row);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("locking " + ids.size() + " messages failed", e);
        }
        return rows;
    }

    private Optional<Row> row(String id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select " + Row.COLUMNS
                        + " from mailbox_message where id = ? for update")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(Row.of(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("locking message " + id + " failed", e);
        }
    }

    /** A move of a message out of PENDING. */
    private record Change(Row row, MailboxState to, Instant at, String reason) {
    }

    private record Row(String id, MessageKind kind, String tenant, String device, MailboxState state,
            Instant expiresAt, String streamKey) {
        static final String COLUMNS = "id, kind, tenant_id, device_id, state, expires_at, stream_key";

        Row in(MailboxState moved) {
            return new Row(id, kind, tenant, device, moved, expiresAt, streamKey);
        }

        static Row of(ResultSet rs) throws SQLException {
            return new Row(rs.getString("id"), MessageKind.valueOf(rs.getString("kind")), rs.getString("tenant_id"),
                    rs.getString("device_id"), MailboxState.valueOf(rs.getString("state")),
                    rs.getTimestamp("expires_at").toInstant(), rs.getString("stream_key"));
        }
    }
}
