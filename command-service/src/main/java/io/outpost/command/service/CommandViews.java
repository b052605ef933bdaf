package io.outpost.command.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.command.Command;
import io.outpost.contracts.CommandState;
import io.outpost.command.CommandTransition;
import io.outpost.mailbox.Mailbox;
import io.outpost.command.rest.CommandView;
import io.outpost.command.rest.ResultView;
import io.outpost.command.rest.TransitionView;
import io.outpost.rest.MessageBody;

/** Builds the API's representations of commands. */
@ApplicationScoped
public class CommandViews {
    @Inject
    Mailbox mailbox;
    @Inject
    ObjectMapper json;
    @Inject
    CommandService commands;

    /** The whole command: payload, result and history. 404 if the tenant has no such command. */
    @Transactional
    public CommandView detail(String tenant, String id) {
        Command command = commands.get(tenant, id);
        List<TransitionView> history = CommandTransition.of(id).stream()
                .map(step -> new TransitionView(step.toState, step.fromState, step.at, step.reason)).toList();
        Mailbox.Content content = mailbox.content(id).orElse(new Mailbox.Content(null, new byte[0], null));
        MessageBody.Shown payload = MessageBody.show(content.contentType(), content.payload(), json);
        ResultView result = command.resultAt == null ? null : result(command, true);
        return new CommandView(command.id, command.tenantId, command.deviceId, command.name, command.state,
                command.createdAt, command.expiresAt, command.replyTimeout().toString(), command.deliveredAt,
                command.replyDeadline, command.finishedAt, content.contentType(), payload.json(), payload.base64(),
                result, history);
    }

    /**
     * A command just accepted, from what its POST wrote (no read back): PENDING, with its one transition. Its state may
     * have moved on by the time the caller reads it again; the 202 says what was accepted.
     */
    public CommandView accepted(Command command, ValidCommand request, String reason) {
        MessageBody.Shown payload = MessageBody.show(request.contentType(), request.payload(), json);
        return new CommandView(command.id, command.tenantId, command.deviceId, command.name, CommandState.PENDING,
                command.createdAt, command.expiresAt, command.replyTimeout().toString(), null, null, null,
                request.contentType(), payload.json(), payload.base64(), null,
                List.of(new TransitionView(CommandState.PENDING, null, command.createdAt, reason)));
    }

    /** The command without payloads and history, for lists. */
    public CommandView summary(Command command) {
        return new CommandView(command.id, command.tenantId, command.deviceId, command.name, command.state,
                command.createdAt, command.expiresAt, command.replyTimeout().toString(), command.deliveredAt,
                command.replyDeadline, command.finishedAt, null, null, null,
                command.resultAt == null ? null : result(command, false), null);
    }

    private ResultView result(Command command, boolean withPayload) {
        MessageBody.Shown payload = withPayload ? MessageBody.show(command.resultContentType, command.resultPayload, json)
                : MessageBody.Shown.NONE;
        return new ResultView(command.resultStatus, command.resultContentType, payload.json(), payload.base64(),
                command.resultAt);
    }
}
