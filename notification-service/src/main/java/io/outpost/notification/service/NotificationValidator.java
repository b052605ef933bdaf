package io.outpost.notification.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.notification.Target;
import io.outpost.notification.config.NotificationConfig;
import io.outpost.notification.rest.NotificationRequest;
import io.outpost.rest.Durations;
import io.outpost.rest.FieldError;
import io.outpost.rest.IdempotencyKeys;
import io.outpost.rest.MessageBody;
import io.outpost.rest.ProblemException;

/** Checks a notification request field by field and reports every fault at once (400, each naming its field). */
@ApplicationScoped
public class NotificationValidator {
    /** One to three MQTT topic levels, no wildcards. */
    static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}(/[A-Za-z0-9][A-Za-z0-9._-]{0,63}){0,2}");
    private static final Pattern ID = Pattern.compile("[\\x21-\\x7e&&[^/+#]]{1,128}");

    @Inject
    NotificationConfig config;
    @Inject
    ObjectMapper json;

    public ValidNotification validate(NotificationRequest request) {
        if (request == null) {
            throw ProblemException.invalid("body", "a notification is required");
        }
        List<FieldError> errors = new ArrayList<>();
        Target target = target(request.target(), errors);
        if (request.topic() == null || request.topic().isEmpty()) {
            errors.add(new FieldError("topic", "is required"));
        } else if (!TOPIC.matcher(request.topic()).matches()) {
            errors.add(new FieldError("topic", "must be one to three levels, each matching [A-Za-z0-9][A-Za-z0-9._-]{0,63}"));
        }
        MessageBody.Parsed body = MessageBody.read(request.payload(), request.payloadBase64(), request.contentType(),
                config.maxPayloadBytes(), json, errors);
        Duration ttl = Durations.field("ttl", request.ttl(), config.defaultTtl(), config.maxTtl(), errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new ValidNotification(target, request.topic(), body.contentType(), body.payload(), ttl,
                IdempotencyKeys.fingerprint(body.payload(), target.toString(), request.topic(), body.contentType(),
                        ttl.toString()));
    }

    private static Target target(NotificationRequest.TargetRequest target, List<FieldError> errors) {
        if (target == null) {
            errors.add(new FieldError("target", "is required: {\"device\": id}, {\"group\": id} or {\"fleet\": true}"));
            return null;
        }
        boolean fleet = Boolean.TRUE.equals(target.fleet());
        int given = (target.device() != null ? 1 : 0) + (target.group() != null ? 1 : 0) + (fleet ? 1 : 0);
        if (given != 1) {
            errors.add(new FieldError("target", "give exactly one of device, group or fleet: true"));
            return null;
        }
        if (fleet) {
            return Target.FLEET;
        }
        String field = target.device() != null ? "target.device" : "target.group";
        String id = target.device() != null ? target.device() : target.group();
        if (!ID.matcher(id).matches()) {
            errors.add(new FieldError(field, "must be 1 to 128 visible ASCII characters without /, + or #"));
            return null;
        }
        return target.device() != null ? Target.device(id) : Target.group(id);
    }
}
