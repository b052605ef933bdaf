package io.outpost.mailbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.outpost.contracts.DeviceSessionEvent;

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
        Instant startedAt = event.at() == null ? Clock.now() : event.at().truncatedTo(ChronoUnit.MICROS);
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
