package io.outpost.command.service;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.command.config.CommandConfig;
import io.outpost.command.rest.CommandRequest;
import io.outpost.rest.Durations;
import io.outpost.rest.FieldError;
import io.outpost.rest.ProblemException;

/** Checks a command request field by field and reports every fault at once (400, each naming its field). */
@ApplicationScoped
public class CommandValidator {
    /** One MQTT topic level, no wildcards, no separators. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(\\s*;[\\x20-\\x7e]*)?");
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
    public static final String JSON = "application/json";
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

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
        String contentType = request.contentType();
        if (contentType != null && (contentType.length() > 255 || !MEDIA_TYPE.matcher(contentType).matches())) {
            errors.add(new FieldError("contentType", "must be a media type such as application/octet-stream"));
            contentType = null;
        }
        byte[] payload = payload(request, contentType, errors);
        if (payload != null && request.payload() != null && contentType == null) {
            contentType = JSON;
        }
        if (payload != null && payload.length > config.maxPayloadBytes()) {
            errors.add(new FieldError(request.payload() != null ? "payload" : "payloadBase64",
                    "is " + payload.length + " bytes; at most " + config.maxPayloadBytes() + " are allowed"));
        }
        Duration ttl = duration("ttl", request.ttl(), config.defaultTtl(), config.maxTtl(), errors);
        Duration replyTimeout = duration("replyTimeout", request.replyTimeout(), config.defaultReplyTimeout(),
                config.maxReplyTimeout(), errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        byte[] bytes = payload == null ? new byte[0] : payload;
        return new ValidCommand(request.name(), contentType, bytes, ttl, replyTimeout,
                fingerprint(request.name(), contentType, bytes, ttl, replyTimeout));
    }

    /** The header's value if it is a valid key, null if there is none; 400 otherwise. */
    public static String idempotencyKey(String header) {
        if (header == null) {
            return null;
        }
        if (!IDEMPOTENCY_KEY.matcher(header).matches()) {
            throw ProblemException.invalid(IDEMPOTENCY_HEADER, "must be 1 to 255 visible ASCII characters");
        }
        return header;
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

    public static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals(JSON) || type.endsWith("+json");
    }

    private byte[] payload(CommandRequest request, String contentType, List<FieldError> errors) {
        JsonNode node = request.payload() == null || request.payload().isNull() ? null : request.payload();
        String base64 = request.payloadBase64();
        if (node != null && base64 != null) {
            errors.add(new FieldError("payloadBase64", "give either payload or payloadBase64, not both"));
            return null;
        }
        if (node != null) {
            if (request.contentType() != null && contentType != null && !isJson(contentType)) {
                errors.add(new FieldError("contentType",
                        "must be a JSON media type with payload; send other payloads as payloadBase64"));
            }
            try {
                return json.writeValueAsBytes(node);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a JSON tree always serializes", e);
            }
        }
        if (base64 != null) {
            if (request.contentType() == null) {
                errors.add(new FieldError("contentType", "is required with payloadBase64"));
            }
            try {
                return Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("payloadBase64", "is not valid base64"));
                return null;
            }
        }
        return null;
    }

    private static Duration duration(String field, String text, Duration fallback, Duration max,
            List<FieldError> errors) {
        if (text == null) {
            return fallback;
        }
        Optional<Duration> parsed = Durations.parse(text);
        if (parsed.isEmpty()) {
            errors.add(new FieldError(field, "must be an ISO-8601 duration such as PT10M, or 90s, 10m, 2h, 7d"));
            return null;
        }
        Duration value = parsed.get();
        if (value.isNegative() || value.isZero()) {
            errors.add(new FieldError(field, "must be positive"));
        } else if (value.compareTo(max) > 0) {
            errors.add(new FieldError(field, "must be at most " + max));
        }
        return value;
    }

    /** SHA-256 over the request with defaults applied; every part length-prefixed so no two requests collide. */
    static String fingerprint(String name, String contentType, byte[] payload, Duration ttl, Duration replyTimeout) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] { name, contentType == null ? "" : contentType, ttl.toString(),
                    replyTimeout.toString() }) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
                sha.update(bytes);
            }
            sha.update(ByteBuffer.allocate(4).putInt(payload.length).array());
            sha.update(payload);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
