package io.outpost.command.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.command.Command;
import io.outpost.command.CommandAccepted;
import io.outpost.command.CommandFinished;
import io.outpost.command.CommandStates;
import io.outpost.command.CommandTransition;
import io.outpost.mailbox.Clock;
import io.outpost.mailbox.MailboxConfig;
import io.outpost.mailbox.MailboxTransition;
import io.outpost.mailbox.Outbox;
import io.outpost.messaging.CloudEventRecords;
import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.CommandEvent;
import io.outpost.contracts.CommandResult;
import io.outpost.contracts.CommandState;
import io.outpost.contracts.MessageKind;
import io.outpost.contracts.Topics;

/**
 * Moves commands between states, and only along {@link CommandStates}: each accepted move is recorded in the
 * command's history and written to the outbox as a {@link CommandEvent} for {@code outpost.command-events.v1}, in the
 * same transaction, so no transition is lost or published without being committed. The mailbox's moves (delivered,
 * expired, cancelled) arrive as {@link MailboxTransition}s inside its transaction.
 */
@ApplicationScoped
public class CommandLifecycle {
    private static final Logger LOG = Logger.getLogger(CommandLifecycle.class);

    @Inject
    Outbox outbox;
    @Inject
    DataSource dataSource;
    @Inject
    ObjectMapper json;
    @Inject
    MailboxConfig mailboxConfig;
    @Inject
    Event<CommandAccepted> accepted;
    @Inject
    Event<CommandFinished> finished;

    /**
     * Moves the command (locked by the caller) to {@code to} if the state machine allows it.
     *
     * @return false, changing nothing, if it does not
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean transition(Command command, CommandState to, Instant at, String reason) {
        CommandState from = command.state;
        if (!CommandStates.allowed(from, to)) {
            LOG.debugf("command %s: %s -> %s refused (%s)", command.id, from, to, reason);
            return false;
        }
        // Times reported by a bridge node may run a little behind this clock; a history never goes backwards.
        Instant when = latest(at, command.createdAt, command.deliveredAt);
        command.state = to;
        if (to == CommandState.DELIVERED) {
            command.deliveredAt = when;
            // The device gets its whole reply time from when the platform learned of the delivery.
            command.replyDeadline = latest(Clock.now(), when).plus(command.replyTimeout());
        }
        if (CommandStates.isFinal(to)) {
            command.finishedAt = when;
        }
        record(command, from, when, reason);
        if (CommandStates.isFinal(to)) {
            finished.fire(new CommandFinished(command.id, command.tenantId, to));
        }
        return true;
    }

    /** The mailbox moved a command's message out of PENDING: the command follows. */
    void onMailboxTransition(@Observes MailboxTransition transition) {
        if (transition.kind() != MessageKind.COMMAND) {
            return;
        }
        Command command = Command.findById(transition.messageId(), LockModeType.PESSIMISTIC_WRITE);
        if (command == null) {
            LOG.warnf("mailbox message %s has no command", transition.messageId());
            return;
        }
        CommandState to = switch (transition.to()) {
            case DELIVERED -> CommandState.DELIVERED;
            case EXPIRED -> CommandState.EXPIRED;
            case CANCELLED -> CommandState.CANCELLED;
            case UNDELIVERABLE -> CommandState.FAILED;
            case PENDING -> null;
        };
        if (to != null) {
            transition(command, to, transition.at(), transition.reason());
        }
    }

    /**
     * Records the first transition (to PENDING) of commands just inserted, one round trip per table for all of them;
     * {@code reasons} has one entry per command.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void createdAll(List<Command> commands, List<String> reasons) {
        List<Outbox.ReadyRecord> events = new ArrayList<>(commands.size());
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("insert into command_transition"
                        + " (command_id, n, from_state, to_state, at, reason) values (?, 1, null, 'PENDING', ?, ?)")) {
            for (int i = 0; i < commands.size(); i++) {
                Command command = commands.get(i);
                command.state = CommandState.PENDING;
                command.transitions = 1;
                insert.setString(1, command.id);
                insert.setTimestamp(2, Timestamp.from(command.createdAt));
                insert.setString(3, reasons.get(i));
                insert.addBatch();
                events.add(event(command, null, 1, command.createdAt, reasons.get(i)));
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("recording " + commands.size() + " new commands failed", e);
        }
        outbox.appendAll(events);
        commands.forEach(command -> accepted.fire(new CommandAccepted(command.id, command.tenantId)));
    }

    private void record(Command command, CommandState from, Instant at, String reason) {
        command.transitions++;
        CommandTransition step = new CommandTransition();
        step.commandId = command.id;
        step.n = command.transitions;
        step.fromState = from;
        step.toState = command.state;
        step.at = at;
        step.reason = reason;
        step.persist();
        outbox.appendAll(List.of(event(command, from, step.n, at, reason)));
    }

    /** The n-th transition of the command as a record for {@code outpost.command-events.v1}. */
    private Outbox.ReadyRecord event(Command command, CommandState from, int n, Instant at, String reason) {
        CommandResult result = command.resultAt == null ? null
                : new CommandResult(command.resultStatus, command.resultContentType, command.resultPayload,
                        command.resultAt);
        CommandEvent event = new CommandEvent(command.id, command.tenantId, command.deviceId, command.name,
                command.state, from, at, reason, command.createdAt, command.expiresAt, command.replyDeadline, result);
        Map<String, String> headers = CloudEventRecords.attributes(command.id + "-" + n, mailboxConfig.source(),
                CloudEventTypes.COMMAND_EVENT, at, command.tenantId, command.deviceId, "application/json");
        headers.put(CloudEventHeaders.SUBJECT, command.id);
        try {
            return new Outbox.ReadyRecord(Topics.COMMAND_EVENTS, command.key(), headers, json.writeValueAsBytes(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a CommandEvent always serializes", e);
        }
    }

    private static Instant latest(Instant first, Instant... others) {
        Instant latest = first;
        for (Instant other : others) {
            if (other != null && other.isAfter(latest)) {
                latest = other;
            }
        }
        return latest;
    }
}
