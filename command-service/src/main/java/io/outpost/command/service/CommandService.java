package io.outpost.command.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.outpost.command.Command;
import io.outpost.command.config.CommandConfig;
import io.outpost.mailbox.Clock;
import io.outpost.mailbox.Mailbox;
import io.outpost.contracts.CommandState;
import io.outpost.messaging.TraceContext;
import io.outpost.rest.ProblemException;

/** Accepts, cancels and finishes commands; every state change goes through {@link CommandLifecycle}. */
@ApplicationScoped
public class CommandService {
    static final String DEVICE_DELETED = "device deleted";

    @Inject
    Mailbox mailbox;
    @Inject
    CommandLifecycle lifecycle;
    @Inject
    CommandIntake intake;
    @Inject
    CommandConfig config;
    @Inject
    DataSource dataSource;

    /** A command as a POST left it; {@code replayed} when an earlier POST with the same Idempotency-Key created it. */
    public record Submitted(Command command, boolean replayed) {
    }

    /** What became of a device's reply. */
    public enum ReplyOutcome {
        /** The command took the result (and its final state). */
        APPLIED,
        /** No command has this id (never existed, or deleted after its retention). */
        UNKNOWN,
        /** The command belongs to another device. */
        FOREIGN,
        /** The command is already final (a repeated reply, or one after the deadline or the expiry). */
        LATE
    }

    /**
     * Stores the command in the device's mailbox (published after the commit), or returns the command an earlier POST
     * with the same Idempotency-Key created. 404 unknown device, 409 disabled device or the key used for another
     * request, 429 full mailbox, 503 while this instance has not yet read the registry topic. Concurrent POSTs share
     * one transaction ({@link CommandIntake}).
     */
    public Submitted submit(String tenant, String device, ValidCommand request, String idempotencyKey, String caller) {
        return intake.submit(new CommandIntake.Request(tenant, device, request, idempotencyKey, caller,
                TraceContext.current()));
    }

    /** The tenant's command, or 404. */
    @Transactional
    public Command get(String tenant, String id) {
        Command command = Command.findById(id);
        if (command == null || !command.tenantId.equals(tenant)) {
            throw ProblemException.notFound("command " + id + " not found");
        }
        return command;
    }

    /** The command's current state, as committed. */
    @Transactional
    public CommandState state(String id) {
        Command command = Command.findById(id);
        return command == null ? null : command.state;
    }

    /** PENDING -> CANCELLED; 409 in any other state, 404 if the tenant has no such command. */
    @Transactional
    public Command cancel(String tenant, String id, String caller) {
        // The mailbox row first, then the command: every path locks in this order.
        mailbox.lock(id);
        Command command = Command.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (command == null || !command.tenantId.equals(tenant)) {
            throw ProblemException.notFound("command " + id + " not found");
        }
        if (command.state != CommandState.PENDING) {
            throw ProblemException.conflict("command " + id + " is " + command.state
                    + "; only a PENDING command can be cancelled");
        }
        mailbox.cancel(id, Clock.now(), "cancelled by " + caller);
        return command;
    }

    /**
     * Applies a device's reply. A reply to a PENDING command means the device has it: it is DELIVERED first (its
     * receipt, arriving later on another topic, then changes nothing).
     */
    @Transactional
    public ReplyOutcome reply(String tenant, String device, ReplyTopic reply, String contentType, byte[] payload) {
        if (mailbox.lock(reply.commandId()).isEmpty()) {
            return ReplyOutcome.UNKNOWN;
        }
        Command command = Command.findById(reply.commandId(), LockModeType.PESSIMISTIC_WRITE);
        if (command == null) {
            return ReplyOutcome.UNKNOWN;
        }
        if (!command.tenantId.equals(tenant) || !command.deviceId.equals(device)) {
            return ReplyOutcome.FOREIGN;
        }
        Instant now = Clock.now();
        if (command.state == CommandState.PENDING) {
            mailbox.markDelivered(command.id, now, "the device replied before its delivery receipt arrived");
        }
        if (command.state != CommandState.DELIVERED) {
            return ReplyOutcome.LATE;
        }
        command.resultStatus = reply.status();
        command.resultContentType = contentType;
        command.resultPayload = payload == null ? new byte[0] : payload;
        command.resultAt = now;
        CommandState outcome = reply.outcome();
        lifecycle.transition(command, outcome, now, "the device replied"
                + (reply.status() == null ? "" : " with status " + reply.status()));
        return ReplyOutcome.APPLIED;
    }

    /**
     * Marks up to {@code limit} DELIVERED commands past their reply deadline TIMED_OUT; rows another instance holds
     * are skipped.
     */
    @Transactional
    public int timeOutDue(int limit) {
        Instant now = Clock.now();
        List<String> due = ids("select id from command where state = 'DELIVERED' and reply_deadline <= ?"
                + " order by reply_deadline limit ? for update skip locked", now, limit);
        for (String id : due) {
            Command command = Command.findById(id);
            lifecycle.transition(command, CommandState.TIMED_OUT, now, "no reply before the reply deadline");
        }
        return due.size();
    }

    /**
     * Ends the commands of a device's predecessors (ARCHITECTURE.md, device lifecycle): every command of a device that
     * is gone from the registry, or of an earlier incarnation of one created again with the same id. Pending ones end
     * CANCELLED ("device deleted", an event each, never delivered), then they are deleted with their history and
     * message, so the device starts with no commands and the old ids answer 404.
     *
     * @param current the device's incarnation in the registry now; empty if it is gone
     * @return how many commands ended
     */
    @Transactional
    public int endPredecessors(String tenant, String device, Optional<Instant> current) {
        mailbox.lockDevice(tenant, device);
        List<String> predecessors = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select c.id from command c"
                        + " join mailbox_message m on m.id = c.id where c.tenant_id = ? and c.device_id = ?"
                        + " and (? or m.device_incarnation <> ?) order by c.created_at")) {
            select.setString(1, tenant);
            select.setString(2, device);
            select.setBoolean(3, current.isEmpty());
            select.setTimestamp(4, current.map(Timestamp::from).orElse(null));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    predecessors.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the commands of " + tenant + "/" + device + " failed", e);
        }
        Instant now = Clock.now();
        for (String id : predecessors) {
            mailbox.cancel(id, now, DEVICE_DELETED);
        }
        // The CANCELLED transitions are entities; they go to the database before their commands go.
        Command.getEntityManager().flush();
        mailbox.delete(predecessors);
        return predecessors.size();
    }

    /** Devices (keys {@code tenant/device}) that have commands. */
    @Transactional
    public List<String> devicesWithCommands() {
        List<String> keys = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select distinct tenant_id, device_id from command");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                keys.add(rs.getString(1) + "/" + rs.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the devices with commands failed", e);
        }
        return keys;
    }

    /** Deletes up to {@code limit} commands final for longer than the retention, with their history and message. */
    @Transactional
    public int purge(int limit) {
        List<String> old = ids("select id from command where finished_at < ? limit ? for update skip locked",
                Clock.now().minus(config.retention()), limit);
        mailbox.delete(old);
        return old.size();
    }

    private List<String> ids(String sql, Instant at, int limit) {
        List<String> ids = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setTimestamp(1, Timestamp.from(at));
            select.setInt(2, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("selecting commands failed", e);
        }
        return ids;
    }
}
