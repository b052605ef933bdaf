package io.outpost.registry.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.outpost.registry.ConnectionStatus;
import io.outpost.registry.Device;
import io.outpost.registry.DeviceGroup;
import io.outpost.registry.rest.CredentialView;
import io.outpost.registry.rest.DeviceRequest;
import io.outpost.rest.FieldError;
import io.outpost.rest.ProblemException;

/** Creates, replaces and deletes devices; every change also goes to the registry outbox in the same transaction. */
@ApplicationScoped
public class DeviceService {
    @Inject
    DeviceValidator validator;
    @Inject
    RegistryOutbox outbox;
    @Inject
    CredentialService credentials;

    /** A created device and, if one was generated, its secret (shown once). */
    public record Created(Device device, CredentialView credential) {
    }

    @Transactional
    public Created create(String tenantId, DeviceRequest request) {
        List<FieldError> errors = validator.validateCreate(request);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        if (Device.find(tenantId, request.id()).isPresent()) {
            throw ProblemException.conflict("device " + request.id() + " already exists");
        }
        Instant now = Clock.now();
        Device device = new Device();
        device.tenantId = tenantId;
        device.deviceId = request.id();
        device.createdAt = now;
        apply(device, request, now);
        device.persist();
        CredentialView credential = request.credential() == null ? null
                : credentials.issue(device, request.credential(), "credential.");
        outbox.deviceChanged(device);
        return new Created(device, credential);
    }

    public Device get(String tenantId, String deviceId) {
        return Device.find(tenantId, deviceId)
                .orElseThrow(() -> ProblemException.notFound("device " + deviceId + " not found"));
    }

    @Transactional
    public Device replace(String tenantId, String deviceId, Long expectedVersion, DeviceRequest request) {
        List<FieldError> errors = validator.validateReplace(request);
        if (request.id() != null && !request.id().equals(deviceId)) {
            errors = new ArrayList<>(errors);
            errors.add(new FieldError("id", "must be absent or equal " + deviceId + ": device ids cannot change"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        Device device = get(tenantId, deviceId);
        requireVersion(device.version, expectedVersion);
        apply(device, request, Clock.now());
        outbox.deviceChanged(device);
        return device;
    }

    @Transactional
    public void delete(String tenantId, String deviceId, Long expectedVersion) {
        Device device = get(tenantId, deviceId);
        requireVersion(device.version, expectedVersion);
        device.delete();
        outbox.deviceDeleted(tenantId, deviceId);
    }

    public ConnectionStatus connection(Device device) {
        return ConnectionStatus.findById(device.pk);
    }

    public static void requireVersion(long actual, Long expected) {
        if (expected != null && expected != actual) {
            throw ProblemException.preconditionFailed("If-Match does not match the current version " + actual);
        }
    }

    /** Marks the device changed, so that Hibernate moves its version when it flushes. */
    public static void touch(Device device) {
        device.updatedAt = Clock.now();
    }

    private void apply(Device device, DeviceRequest request, Instant now) {
        device.enabled = request.enabled() == null || request.enabled();
        device.labels = request.labels() == null ? new HashMap<>() : new HashMap<>(request.labels());
        device.attributes = request.attributes() == null ? new HashMap<>() : new HashMap<>(request.attributes());
        device.groups = resolveGroups(device.tenantId, request.groups());
        device.updatedAt = now;
    }

    private Set<DeviceGroup> resolveGroups(String tenantId, List<String> groupIds) {
        Set<DeviceGroup> groups = new LinkedHashSet<>();
        if (groupIds == null) {
            return groups;
        }
        List<FieldError> unknown = new ArrayList<>();
        for (int i = 0; i < groupIds.size(); i++) {
            int index = i;
            DeviceGroup.find(tenantId, groupIds.get(i)).ifPresentOrElse(groups::add,
                    () -> unknown.add(new FieldError("groups[" + index + "]", "no group " + groupIds.get(index))));
        }
        if (!unknown.isEmpty()) {
            throw ProblemException.invalid(unknown);
        }
        return groups;
    }
}
