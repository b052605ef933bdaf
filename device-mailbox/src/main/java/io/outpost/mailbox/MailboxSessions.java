package io.outpost.mailbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.outpost.contracts.DeviceSessionEvent;
import io.outpost.contracts.SessionEventType;

/**
 * Each device's current session as this owner learns it from {@code outpost.device-sessions.v1} (table
 * {@code mailbox_session}), and the re-publish a session start triggers (ARCHITECTURE.md, mailbox rule 3). Every
 * write holds the device's mailbox lock ({@link Mailbox#lockDevice}), so a store sees either the session before the
 * event or after it, never half of it.
 */
@ApplicationScoped
public class MailboxSessions {
    private static final Logger LOG = Logger.getLogger(MailboxSessions.class);

    @Inject
    DataSource dataSource;
    @Inject
    Mailbox mailbox;
    @Inject
    Outbox outbox;
    @Inject
    Instance<SessionReplay> replays;

    /**
     * A session of the device started (CONNECTED) or subscribed (SUBSCRIBED) on a bridge node: it becomes the device's
     * current session, unless a newer one is known already, and the device's pending, unexpired messages are
     * re-published in creation order, then whatever the owner's {@link SessionReplay}s add. Messages already published
     * for this session are left out, so a session's two events send each message once, in whichever order they are
     * handled.
     *
     * @return how many mailbox messages were re-published
     */
    @Transactional
    public int sessionStarted(DeviceSessionEvent event) {
        String tenant = event.tenant();
        String device = event.device();
        if (alreadyCurrent(event)) {
            // The session's other event went first and re-published everything; what was stored since went out at
            // once, marked with the session. One read, no lock, no write: half the work of a reconnect storm.
            return 0;
        }
        mailbox.lockDevice(tenant, device);
        if (!becomeCurrent(event)) {
            LOG.debugf("%s of session %s of %s/%s ignored: a newer session is known", event.type(), event.sessionId(),
                    tenant, device);
            return 0;
        }
        List<String> ids = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement select = connection.prepareStatement("select id from mailbox_message"
                    + " where tenant_id = ? and device_id = ? and state = 'PENDING' and expires_at > ?"
                    + " and last_session is distinct from ? order by seq")) {
                select.setString(1, tenant);
                select.setString(2, device);
                select.setTimestamp(3, Timestamp.from(Clock.now()));
                select.setString(4, event.sessionId());
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString("id"));
                    }
                }
            }
            if (!ids.isEmpty()) {
                try (PreparedStatement mark = connection.prepareStatement(
                        "update mailbox_message set last_session = ? where id = any(?)")) {
                    mark.setString(1, event.sessionId());
                    mark.setArray(2, connection.createArrayOf("text", ids.toArray()));
                    mark.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("re-publishing the mailbox of " + tenant + "/" + device + " failed", e);
        }
        outbox.publish(ids);
        replays.forEach(replay -> replay.sessionStarted(event));
        return ids.size();
    }

    /**
     * Applies a batch of session events, in order per device, as {@link #sessionStarted} and {@link #sessionEnded}
     * would one at a time, with one statement per step for the whole batch instead of four or five per event: a
     * reconnect storm brings every owner thousands of events at once. The caller holds the devices' locks
     * ({@link Mailbox#lockDevices}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void applyLocked(List<DeviceSessionEvent> events) {
        for (List<DeviceSessionEvent> round : rounds(events)) {
            endAll(round.stream().filter(event -> event.type() == SessionEventType.DISCONNECTED).toList());
            startAll(round.stream().filter(event -> event.type() != SessionEventType.DISCONNECTED).toList());
        }
    }

    /** The events in rounds in which each device appears at most once: its n-th event in round n, so in order. */
    static List<List<DeviceSessionEvent>> rounds(List<DeviceSessionEvent> events) {
        Map<String, Integer> seen = new HashMap<>();
        List<List<DeviceSessionEvent>> rounds = new ArrayList<>();
        for (DeviceSessionEvent event : events) {
            int round = seen.merge(key(event), 1, Integer::sum) - 1;
            if (round == rounds.size()) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(event);
        }
        return rounds;
    }

    private void endAll(List<DeviceSessionEvent> ended) {
        if (ended.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("update mailbox_session s set online = false"
                        + " from unnest(?, ?, ?) as k (tenant_id, device_id, session_id) where s.tenant_id = k.tenant_id"
                        + " and s.device_id = k.device_id and s.session_id = k.session_id")) {
            bindDevicesAndSessions(connection, update, ended);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("ending " + ended.size() + " sessions failed", e);
        }
    }

    /** Sessions started, at most one event per device: only those not yet current are recorded and re-published. */
    private void startAll(List<DeviceSessionEvent> started) {
        if (started.isEmpty()) {
            return;
        }
        Set<String> current = alreadyCurrent(started);
        List<DeviceSessionEvent> fresh = started.stream().filter(event -> !current.contains(key(event))).toList();
        if (fresh.isEmpty()) {
            return;
        }
        Set<String> became = becomeCurrent(fresh);
        List<DeviceSessionEvent> newest = fresh.stream().filter(event -> became.contains(key(event))).toList();
        if (newest.isEmpty()) {
            return;
        }
        outbox.publish(markForSessions(newest));
        for (DeviceSessionEvent event : newest) {
            replays.forEach(replay -> replay.sessionStarted(event));
        }
    }

    /** The devices (keys) whose event's session is already their current, online one. */
    private Set<String> alreadyCurrent(List<DeviceSessionEvent> events) {
        return keys(events, "select s.tenant_id, s.device_id from mailbox_session s join unnest(?, ?, ?) as k"
                + " (tenant_id, device_id, session_id) on s.tenant_id = k.tenant_id and s.device_id = k.device_id"
                + " and s.session_id = k.session_id where s.online", false);
    }

    /** Makes each event's session its device's current one; the devices (keys) for which no newer one was known. */
    private Set<String> becomeCurrent(List<DeviceSessionEvent> events) {
        return keys(events, "insert into mailbox_session as s (tenant_id, device_id, session_id, started_at, online)"
                + " select k.tenant_id, k.device_id, k.session_id, cast(k.started_at as timestamptz), true"
                + " from unnest(?, ?, ?, ?) as k (tenant_id, device_id, session_id, started_at)"
                + " on conflict (tenant_id, device_id) do update"
                + " set session_id = excluded.session_id, started_at = excluded.started_at, online = true"
                + " where s.session_id = excluded.session_id or s.started_at <= excluded.started_at"
                + " returning s.tenant_id, s.device_id", true);
    }

    private Set<String> keys(List<DeviceSessionEvent> events, String sql, boolean withStart) {
        Set<String> keys = new HashSet<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            bindDevicesAndSessions(connection, statement, events);
            if (withStart) {
                statement.setArray(4, connection.createArrayOf("text", events.stream()
                        .map(event -> startedAt(event).toString()).toArray()));
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1) + "/" + rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("recording " + events.size() + " sessions failed", e);
        }
        return keys;
    }

    /**
     * Marks the devices' pending, unexpired messages not yet published for the event's session with it; their ids in
     * creation order.
     */
    private List<String> markForSessions(List<DeviceSessionEvent> events) {
        List<String> ids = new ArrayList<>();
        List<String> sessionOfId = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement select = connection.prepareStatement("select m.id, k.session_id"
                    + " from unnest(?, ?, ?) as k (tenant_id, device_id, session_id) join mailbox_message m"
                    + " on m.tenant_id = k.tenant_id and m.device_id = k.device_id and m.state = 'PENDING'"
                    + " and m.expires_at > ? and m.last_session is distinct from k.session_id order by m.seq")) {
                bindDevicesAndSessions(connection, select, events);
                select.setTimestamp(4, Timestamp.from(Clock.now()));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                        sessionOfId.add(rs.getString(2));
                    }
                }
            }
            if (!ids.isEmpty()) {
                try (PreparedStatement mark = connection.prepareStatement("update mailbox_message m"
                        + " set last_session = k.session_id from unnest(?, ?) as k (id, session_id) where m.id = k.id")) {
                    mark.setArray(1, connection.createArrayOf("text", ids.toArray()));
                    mark.setArray(2, connection.createArrayOf("text", sessionOfId.toArray()));
                    mark.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("re-publishing the mailboxes of " + events.size() + " devices failed", e);
        }
        return ids;
    }

    private static void bindDevicesAndSessions(Connection connection, PreparedStatement statement,
            List<DeviceSessionEvent> events) throws SQLException {
        statement.setArray(1, connection.createArrayOf("text", events.stream().map(DeviceSessionEvent::tenant).toArray()));
        statement.setArray(2, connection.createArrayOf("text", events.stream().map(DeviceSessionEvent::device).toArray()));
        statement.setArray(3, connection.createArrayOf("text",
                events.stream().map(DeviceSessionEvent::sessionId).toArray()));
    }

    private static Instant startedAt(DeviceSessionEvent event) {
        return event.at() == null ? Clock.now() : event.at().truncatedTo(ChronoUnit.MICROS);
    }

    private static String key(DeviceSessionEvent event) {
        return event.tenant() + "/" + event.device();
    }

    /** The session ended: messages stored from now on wait for the device's next session. */
    @Transactional
    public void sessionEnded(DeviceSessionEvent event) {
        mailbox.lockDevice(event.tenant(), event.device());
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("update mailbox_session set online = false"
                        + " where tenant_id = ? and device_id = ? and session_id = ?")) {
            update.setString(1, event.tenant());
            update.setString(2, event.device());
            update.setString(3, event.sessionId());
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("ending a session of " + event.tenant() + "/" + event.device() + " failed",
                    e);
        }
    }

    /**
     * Whether the device is online in a session this owner knows. Hold the device's lock ({@link Mailbox#lockDevice})
     * to keep the answer true until the transaction ends.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean online(String tenant, String device) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select 1 from mailbox_session"
                        + " where tenant_id = ? and device_id = ? and online")) {
            select.setString(1, tenant);
            select.setString(2, device);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the session of " + tenant + "/" + device + " failed", e);
        }
    }

    private boolean alreadyCurrent(DeviceSessionEvent event) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select 1 from mailbox_session"
                        + " where tenant_id = ? and device_id = ? and session_id = ? and online")) {
            select.setString(1, event.tenant());
            select.setString(2, event.device());
            select.setString(3, event.sessionId());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the session of " + event.tenant() + "/" + event.device()
                    + " failed", e);
        }
    }

    /** Makes the event's session the device's current one; false if a newer session is known (a late event). */
    private boolean becomeCurrent(DeviceSessionEvent event) {
        Instant startedAt = startedAt(event);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement upsert = connection.prepareStatement("insert into mailbox_session as s (tenant_id,"
                        + " device_id, session_id, started_at, online) values (?, ?, ?, ?, true)"
                        + " on conflict (tenant_id, device_id) do update"
                        + " set session_id = excluded.session_id, started_at = excluded.started_at, online = true"
                        + " where s.session_id = excluded.session_id or s.started_at <= excluded.started_at")) {
            upsert.setString(1, event.tenant());
            upsert.setString(2, event.device());
            upsert.setString(3, event.sessionId());
            upsert.setTimestamp(4, Timestamp.from(startedAt));
            return upsert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("recording a session of " + event.tenant() + "/" + event.device()
                    + " failed", e);
        }
    }
}
