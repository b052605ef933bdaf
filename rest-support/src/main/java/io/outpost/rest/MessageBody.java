package io.outpost.rest;

import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The body of a message for a device as product teams POST it (commands, notifications): {@code payload} (JSON) or
 * {@code payloadBase64} with {@code contentType}. Faults are added to the caller's list, each naming its field.
 */
public final class MessageBody {
    public static final String JSON = "application/json";
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(\\s*;[\\x20-\\x7e]*)?");

    /** The bytes for the device (empty when the request had no payload) and their media type (null if none). */
    public record Parsed(String contentType, byte[] payload) {
    }

    /** A payload as the API shows it: JSON as JSON, all others (and JSON that does not parse) as base64. */
    public record Shown(JsonNode json, String base64) {
        public static final Shown NONE = new Shown(null, null);
    }

    private MessageBody() {
    }

    /** The payload for a response; an empty one as neither. */
    public static Shown show(String contentType, byte[] bytes, ObjectMapper json) {
        if (bytes == null || bytes.length == 0) {
            return Shown.NONE;
        }
        if (isJson(contentType)) {
            try {
                return new Shown(json.readTree(bytes), null);
            } catch (IOException e) {
                // Not JSON after all: shown as bytes.
            }
        }
        return new Shown(null, Base64.getEncoder().encodeToString(bytes));
    }

    /** The body, or null when a fault was added to {@code errors}. */
    public static Parsed read(JsonNode payload, String payloadBase64, String contentType, int maxBytes,
            ObjectMapper json, List<FieldError> errors) {
        int before = errors.size();
        String type = contentType;
        if (type != null && (type.length() > 255 || !MEDIA_TYPE.matcher(type).matches())) {
            errors.add(new FieldError("contentType", "must be a media type such as application/octet-stream"));
            type = null;
        }
        JsonNode node = payload == null || payload.isNull() ? null : payload;
        byte[] bytes = null;
        if (node != null && payloadBase64 != null) {
            errors.add(new FieldError("payloadBase64", "give either payload or payloadBase64, not both"));
        } else if (node != null) {
            if (contentType != null && type != null && !isJson(type)) {
                errors.add(new FieldError("contentType",
                        "must be a JSON media type with payload; send other payloads as payloadBase64"));
            }
            bytes = write(node, json);
            type = type == null ? JSON : type;
        } else if (payloadBase64 != null) {
            if (contentType == null) {
                errors.add(new FieldError("contentType", "is required with payloadBase64"));
            }
            try {
                bytes = Base64.getDecoder().decode(payloadBase64);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("payloadBase64", "is not valid base64"));
            }
        }
        if (bytes != null && bytes.length > maxBytes) {
            errors.add(new FieldError(node != null ? "payload" : "payloadBase64",
                    "is " + bytes.length + " bytes; at most " + maxBytes + " are allowed"));
        }
        return errors.size() > before ? null : new Parsed(type, bytes == null ? new byte[0] : bytes);
    }

    /** True for {@code application/json} and any {@code +json} type, parameters ignored. */
    public static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals(JSON) || type.endsWith("+json");
    }

    private static byte[] write(JsonNode node, ObjectMapper json) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
