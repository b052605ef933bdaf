package io.outpost.registry.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.Identifiers;
import io.outpost.registry.rest.CredentialRequest;
import io.outpost.registry.rest.DeviceRequest;
import io.outpost.rest.FieldError;

/** Checks the shape of device requests; the REST API and the bulk import report the same errors. */
@ApplicationScoped
public class DeviceValidator {
    static final Pattern DEVICE_ID = Pattern.compile(Identifiers.DEVICE_ID);
    static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9._/-]{1,63}");
    static final int MAX_LABELS = 64;
    static final int MAX_LABEL_VALUE = 255;
    static final int MAX_ATTRIBUTES_BYTES = 16 * 1024;
    static final int MAX_GROUPS = 100;

    @Inject
    ObjectMapper json;

    public List<FieldError> validateCreate(DeviceRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (request.id() == null || request.id().isEmpty()) {
            errors.add(new FieldError("id", "is required"));
        } else if (!DEVICE_ID.matcher(request.id()).matches()) {
            errors.add(new FieldError("id", "must match " + Identifiers.DEVICE_ID));
        }
        validateState(request, errors);
        if (request.credential() != null) {
            validateCredential("credential.", request.credential(), errors);
        }
        return errors;
    }

    public List<FieldError> validateReplace(DeviceRequest request) {
        List<FieldError> errors = new ArrayList<>();
        validateState(request, errors);
        if (request.credential() != null) {
            errors.add(new FieldError("credential", "credentials are managed under .../credentials, not by replacing the device"));
        }
        return errors;
    }

    public void validateCredential(String prefix, CredentialRequest credential, List<FieldError> errors) {
        String secret = credential.secret();
        if (secret != null && (secret.length() < SecretHasher.MIN_SUPPLIED_LENGTH
                || secret.length() > SecretHasher.MAX_SUPPLIED_LENGTH)) {
            errors.add(new FieldError(prefix + "secret", "must have " + SecretHasher.MIN_SUPPLIED_LENGTH + " to "
                    + SecretHasher.MAX_SUPPLIED_LENGTH + " characters"));
        }
        if (credential.notAfter() != null && credential.notAfter().isBefore(Instant.now())) {
            errors.add(new FieldError(prefix + "notAfter", "must be in the future"));
        }
    }

    private void validateState(DeviceRequest request, List<FieldError> errors) {
        Map<String, String> labels = request.labels();
        if (labels != null) {
            if (labels.size() > MAX_LABELS) {
                errors.add(new FieldError("labels", "at most " + MAX_LABELS + " labels"));
            }
            labels.forEach((key, value) -> {
                if (!LABEL_KEY.matcher(key).matches()) {
                    errors.add(new FieldError("labels." + key, "key must match " + LABEL_KEY.pattern()));
                } else if (value == null || value.length() > MAX_LABEL_VALUE) {
                    errors.add(new FieldError("labels." + key, "value must be a string of at most " + MAX_LABEL_VALUE
                            + " characters"));
                }
            });
        }
        if (request.attributes() != null && serializedSize(request.attributes()) > MAX_ATTRIBUTES_BYTES) {
            errors.add(new FieldError("attributes", "must be at most " + MAX_ATTRIBUTES_BYTES + " bytes of JSON"));
        }
        List<String> groups = request.groups();
        if (groups != null) {
            if (groups.size() > MAX_GROUPS) {
                errors.add(new FieldError("groups", "at most " + MAX_GROUPS + " groups"));
            }
            for (int i = 0; i < groups.size(); i++) {
                if (groups.get(i) == null || !DEVICE_ID.matcher(groups.get(i)).matches()) {
                    errors.add(new FieldError("groups[" + i + "]", "must be a group id (" + Identifiers.DEVICE_ID + ")"));
                }
            }
        }
    }

    private int serializedSize(Map<String, Object> attributes) {
        try {
            return json.writeValueAsBytes(attributes).length;
        } catch (JsonProcessingException e) {
            return Integer.MAX_VALUE;
        }
    }
}
