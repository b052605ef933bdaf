package io.outpost.command.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.command.config.CommandConfig;
import io.outpost.command.rest.CommandRequest;
import io.outpost.rest.Durations;
import io.outpost.rest.MessageBody;
import io.outpost.rest.FieldError;
import io.outpost.rest.IdempotencyKeys;
import io.outpost.rest.ProblemException;

/** Checks a command request field by field and reports every fault at once (400, each naming its field). */
@ApplicationScoped
public class CommandValidator {
    /** One MQTT topic level, no wildcards, no separators. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    @Inject
    CommandConfig config;
    @Inject
    ObjectMapper json;

    public ValidCommand validate(CommandRequest request) {
        if (request == null) {
            throw ProblemException.invalid("body", "a command is required");
        }
        List<FieldError> errors = new ArrayList<>();
        if (request.name() == null || request.name().isEmpty()) {
            errors.add(new FieldError("name", "is required"));
        } else if (!NAME.matcher(request.name()).matches()) {
            errors.add(new FieldError("name", "must match " + NAME.pattern()));
        }
        MessageBody.Parsed body = MessageBody.read(request.payload(), request.payloadBase64(), request.contentType(),
                config.maxPayloadBytes(), json, errors);
        Duration ttl = Durations.field("ttl", request.ttl(), config.defaultTtl(), config.maxTtl(), errors);
        Duration replyTimeout = Durations.field("replyTimeout", request.replyTimeout(), config.defaultReplyTimeout(),
                config.maxReplyTimeout(), errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new ValidCommand(request.name(), body.contentType(), body.payload(), ttl, replyTimeout,
                fingerprint(request.name(), body.contentType(), body.payload(), ttl, replyTimeout));
    }

    /** How long a POST may wait for a final state: zero without {@code wait}; 400 if malformed or over the maximum. */
    public Duration waitFor(String wait) {
        if (wait == null || wait.isBlank()) {
            return Duration.ZERO;
        }
        Optional<Duration> parsed = Durations.parse(wait);
        if (parsed.isEmpty() || parsed.get().isNegative()) {
            throw ProblemException.invalid("wait", "must be a duration such as 30s or PT30S");
        }
        if (parsed.get().compareTo(config.maxWait()) > 0) {
            throw ProblemException.invalid("wait", "must be at most " + config.maxWait().toSeconds() + "s");
        }
        return parsed.get();
    }

    /** A hash of the request with defaults applied (Idempotency-Key checks). */
    static String fingerprint(String name, String contentType, byte[] payload, Duration ttl, Duration replyTimeout) {
        return IdempotencyKeys.fingerprint(payload, name, contentType, ttl.toString(), replyTimeout.toString());
    }
}
