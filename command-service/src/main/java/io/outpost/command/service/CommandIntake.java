package io.outpost.command.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.outpost.command.Command;
import io.outpost.command.config.CommandConfig;
import io.outpost.contracts.CommandState;
import io.outpost.contracts.Identifiers;
import io.outpost.contracts.MessageKind;
import io.outpost.contracts.OutboundMessage;
import io.outpost.contracts.RegistryDevice;
import io.outpost.mailbox.Clock;
import io.outpost.mailbox.GroupCommit;
import io.outpost.mailbox.GroupCommit.Outcome;
import io.outpost.mailbox.Mailbox;
import io.outpost.mailbox.MailboxConfig;
import io.outpost.mailbox.MailboxFullException;
import io.outpost.mailbox.MessageIds;
import io.outpost.messaging.TraceContext;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.rest.ProblemException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Accepts POSTed commands by group commit: the requests of concurrent callers are written together, in one
 * transaction with a few statements for all of them (device locks, idempotency lookup, mailbox, commands, history,
 * events), with each caller's own answer: the new command, the earlier one for a repeated Idempotency-Key, or its
 * problem (404 unknown device, 409 disabled device or key reused for another request, 429 full mailbox). Requests for
 * one device keep their order, within a batch and across batches (the mailbox's device locks).
 */
@ApplicationScoped
public class CommandIntake {
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);

    /**
     * A validated POST.
     *
     * @param trace the caller's trace context, stored with the command's message: the batch is written on another
     *              thread, which has none of its own
     */
    public record Request(String tenant, String device, ValidCommand command, String idempotencyKey, String caller,
            TraceContext trace) {
        String key() {
            return tenant + Identifiers.KEY_SEPARATOR + device;
        }

        String idempotencyScope() {
            return idempotencyKey == null ? null : CommandIntake.idempotencyScope(key(), idempotencyKey);
        }
    }

    @Inject
    Mailbox mailbox;
    @Inject
    CommandLifecycle lifecycle;
    @Inject
    DeviceDirectory directory;
    @Inject
    CommandConfig config;
    @Inject
    MailboxConfig mailboxConfig;
    @Inject
    DataSource dataSource;

    private GroupCommit<Request, CommandService.Submitted> group;

    void start(@Observes StartupEvent start) {
        group = new GroupCommit<>("command-intake", config.intakeWriters(), config.intakeBatch(), this::write);
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        group.stop();
    }

    /** An Idempotency-Key is scoped to its device: the lookup key of both the requests and the stored commands. */
    private static String idempotencyScope(String deviceKey, String idempotencyKey) {
        return deviceKey + "\n" + idempotencyKey;
    }

    /** The reason of a command's first transition. */
    public static String acceptedReason(String caller) {
        return "accepted from " + caller;
    }

    /** Writes the request with the others that arrived meanwhile; the command, or the request's problem thrown. */
    public CommandService.Submitted submit(Request request) {
        if (!directory.caughtUp()) {
            throw ProblemException.registryLoading();
        }
        return group.submit(request, ANSWER_WITHIN);
    }

    private List<Outcome<CommandService.Submitted>> write(List<Request> requests) {
        mailbox.lockDevices(requests.stream().map(Request::key).toList());
        Map<String, Command> byIdempotencyKey = earlierCommands(requests);
        List<Outcome<CommandService.Submitted>> outcomes = new ArrayList<>(requests.size());
        List<Command> fresh = new ArrayList<>();
        List<Integer> freshAt = new ArrayList<>();
        Map<Integer, Integer> repeatOf = new HashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i);
            outcomes.add(null);
            Command earlier = request.idempotencyKey() == null ? null
                    : byIdempotencyKey.get(request.idempotencyScope());
            if (earlier != null) {
                outcomes.set(i, replay(request, earlier));
                int original = fresh.indexOf(earlier);
                if (original >= 0) {
                    // Created earlier in this very batch: it shares that one's fate.
                    repeatOf.put(i, freshAt.get(original));
                }
                continue;
            }
            Optional<ProblemException> problem = deviceProblem(request);
            if (problem.isPresent()) {
                outcomes.set(i, Outcome.failed(problem.get()));
                continue;
            }
            Command command = newCommand(request);
            fresh.add(command);
            freshAt.add(i);
            if (request.idempotencyKey() != null) {
                byIdempotencyKey.put(request.idempotencyScope(), command);
            }
        }
        List<OutboundMessage> messages = new ArrayList<>(fresh.size());
        Map<String, TraceContext> traces = new HashMap<>();
        for (int f = 0; f < fresh.size(); f++) {
            Request request = requests.get(freshAt.get(f));
            messages.add(message(fresh.get(f), request.command()));
            traces.put(fresh.get(f).id, request.trace());
        }
        List<Boolean> stored = mailbox.storeAll(messages, message -> null, message -> traces.get(message.id()));
        List<Command> accepted = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (int f = 0; f < fresh.size(); f++) {
            int i = freshAt.get(f);
            Command command = fresh.get(f);
            if (stored.get(f)) {
                accepted.add(command);
                reasons.add(acceptedReason(requests.get(i).caller()));
                outcomes.set(i, Outcome.of(new CommandService.Submitted(command, false)));
            } else {
                outcomes.set(i, Outcome.failed(mailboxFull(requests.get(i))));
            }
        }
        repeatOf.forEach((repeat, original) -> {
            if (outcomes.get(original).failure() != null) {
                outcomes.set(repeat, outcomes.get(original));
            }
        });
        insert(accepted);
        lifecycle.createdAll(accepted, reasons);
        return outcomes;
    }

    private Outcome<CommandService.Submitted> replay(Request request, Command earlier) {
        if (!earlier.requestHash.equals(request.command().fingerprint())) {
            return Outcome.failed(ProblemException.conflict("Idempotency-Key " + request.idempotencyKey()
                    + " was used for a different request to this device (command " + earlier.id + ")"));
        }
        return Outcome.of(new CommandService.Submitted(earlier, true));
    }

    /** Commands created earlier with the requests' Idempotency-Keys, by device and key. */
    private Map<String, Command> earlierCommands(List<Request> requests) {
        List<String> keys = requests.stream().map(Request::idempotencyKey).filter(key -> key != null).distinct()
                .toList();
        Map<String, Command> earlier = new HashMap<>();
        if (keys.isEmpty()) {
            return earlier;
        }
        List<String> tenants = requests.stream().map(Request::tenant).distinct().toList();
        for (Command command : Command.<Command>list("idempotencyKey in ?1 and tenantId in ?2", keys, tenants)) {
            earlier.put(idempotencyScope(command.key(), command.idempotencyKey), command);
        }
        return earlier;
    }

    private Optional<ProblemException> deviceProblem(Request request) {
        Optional<RegistryDevice> known = request.device().matches(Identifiers.DEVICE_ID)
                ? directory.find(request.key())
                : Optional.empty();
        if (known.isEmpty()) {
            return Optional.of(ProblemException.notFound("device " + request.device() + " not found"));
        }
        if (!known.get().enabled()) {
            return Optional.of(ProblemException.conflict("device " + request.device()
                    + " is disabled; enable it in the registry first"));
        }
        return Optional.empty();
    }

    private static Command newCommand(Request request) {
        Instant now = Clock.now();
        Command command = new Command();
        command.id = MessageIds.next();
        command.tenantId = request.tenant();
        command.deviceId = request.device();
        command.name = request.command().name();
        command.createdAt = now;
        command.expiresAt = now.plus(request.command().ttl());
        command.replyTimeoutMillis = request.command().replyTimeout().toMillis();
        command.idempotencyKey = request.idempotencyKey();
        command.requestHash = request.command().fingerprint();
        return command;
    }

    private static OutboundMessage message(Command command, ValidCommand request) {
        return new OutboundMessage(command.id, command.tenantId, command.deviceId, MessageKind.COMMAND,
                "commands/request/" + command.id + "/" + command.name, command.createdAt, command.expiresAt,
                request.contentType(), request.payload());
    }

    private ProblemException mailboxFull(Request request) {
        String full = new MailboxFullException(request.tenant(), request.device(), mailboxConfig.maxPendingPerDevice())
                .getMessage();
        return new ProblemException(429, "Too many requests", full
                + "; wait until some are delivered, expire or are cancelled", List.of());
    }

    private void insert(List<Command> commands) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("insert into command (id, tenant_id, device_id,"
                        + " name, state, created_at, expires_at, reply_timeout_ms, idempotency_key, request_hash,"
                        + " transitions) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)")) {
            for (Command command : commands) {
                insert.setString(1, command.id);
                insert.setString(2, command.tenantId);
                insert.setString(3, command.deviceId);
                insert.setString(4, command.name);
                insert.setString(5, CommandState.PENDING.name());
                insert.setTimestamp(6, Timestamp.from(command.createdAt));
                insert.setTimestamp(7, Timestamp.from(command.expiresAt));
                insert.setLong(8, command.replyTimeoutMillis);
                insert.setString(9, command.idempotencyKey);
                insert.setString(10, command.requestHash);
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("inserting " + commands.size() + " commands failed", e);
        }
    }
}
