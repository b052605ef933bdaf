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
import io.outpost.mailbox.MailboxFullException;
import io.outpost.mailbox.MessageIds;
import io.outpost.contracts.CommandState;
import io.outpost.contracts.Identifiers;
import io.outpost.contracts.MessageKind;
import io.outpost.contracts.OutboundMessage;
import io.outpost.contracts.RegistryDevice;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.rest.ProblemException;

/** Accepts, cancels and finishes commands; every state change goes through {@link CommandLifecycle}. */
@ApplicationScoped
public class CommandService {
    @Inject
    Mailbox mailbox;
    @Inject
    CommandLifecycle lifecycle;
    @Inject
    DeviceDirectory directory;
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
     * request, 429 full mailbox, 503 while this instance has not yet read the registry topic.
     */
    @Transactional
    public Submitted submit(String tenant, String device, ValidCommand request, String idempotencyKey, String caller) {
        // Serializes POSTs for one device: the bound, the idempotency check and the outbox order hold under concurrency.
        mailbox.lockDevice(tenant, device);
        if (idempotencyKey != null) {
            Optional<Command> earlier = Command.find("tenantId = ?1 and deviceId = ?2 and idempotencyKey = ?3", tenant,
                    device, idempotencyKey).firstResultOptional();
            if (earlier.isPresent()) {
                if (!earlier.get().requestHash.equals(request.fingerprint())) {
                    throw ProblemException.conflict("Idempotency-Key " + idempotencyKey
                            + " was used for a different request to this device (command " + earlier.get().id + ")");
                }
                return new Submitted(earlier.get(), true);
            }
        }
        requireEnabledDevice(tenant, device);
        Instant now = Clock.now();
        Command command = new Command();
        command.id = MessageIds.next();
        command.tenantId = tenant;
        command.deviceId = device;
        command.name = request.name();
        command.createdAt = now;
        command.expiresAt = now.plus(request.ttl());
        command.replyTimeoutMillis = request.replyTimeout().toMillis();
        command.idempotencyKey = idempotencyKey;
        command.requestHash = request.fingerprint();
        try {
            mailbox.store(new OutboundMessage(command.id, tenant, device, MessageKind.COMMAND,
                    "commands/request/" + command.id + "/" + command.name, now, command.expiresAt,
                    request.contentType(), request.payload()));
        } catch (MailboxFullException e) {
            throw new ProblemException(429, "Too many requests", e.getMessage()
                    + "; wait until some are delivered, expire or are cancelled", List.of());
        }
        command.state = CommandState.PENDING;
        command.persist();
        lifecycle.created(command, "accepted from " + caller);
        return new Submitted(command, false);
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

    /** Deletes up to {@code limit} commands final for longer than the retention, with their history and message. */
    @Transactional
    public int purge(int limit) {
        List<String> old = ids("select id from command where finished_at < ? limit ? for update skip locked",
                Clock.now().minus(config.retention()), limit);
        mailbox.delete(old);
        return old.size();
    }

    private void requireEnabledDevice(String tenant, String device) {
        if (!directory.caughtUp()) {
            throw ProblemException.registryLoading();
        }
        Optional<RegistryDevice> known = device.matches(Identifiers.DEVICE_ID)
                ? directory.find(tenant + Identifiers.KEY_SEPARATOR + device)
                : Optional.empty();
        if (known.isEmpty()) {
            throw ProblemException.notFound("device " + device + " not found");
        }
        if (!known.get().enabled()) {
            throw ProblemException.conflict("device " + device + " is disabled; enable it in the registry first");
        }
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
