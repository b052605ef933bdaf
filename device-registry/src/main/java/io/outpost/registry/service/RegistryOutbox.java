package io.outpost.registry.service;

import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.RegistryDevice;
import io.outpost.contracts.SecretHash;
import io.outpost.registry.Credential;
import io.outpost.registry.Device;
import io.outpost.registry.OutboxEntry;

/**
 * Records, inside the caller's transaction, what {@code outpost.registry.devices.v1} must learn about a device: the
 * whole device after the change, or a tombstone. A rolled-back change therefore leaves no record, and a committed one
 * is relayed by {@link io.outpost.registry.messaging.RegistryOutboxRelay}, which {@link OutboxWritten} wakes after commit.
 */
@ApplicationScoped
public class RegistryOutbox {
    @Inject
    ObjectMapper json;
    @Inject
    Event<OutboxWritten> written;

    /** Call after changing the device (its version must already be incremented: this flushes first). */
    public void deviceChanged(Device device) {
        Device.getEntityManager().flush();
        append(key(device.tenantId, device.deviceId), toJson(snapshot(device, Credential.active(device.pk))));
    }

    public void deviceDeleted(String tenantId, String deviceId) {
        append(key(tenantId, deviceId), null);
    }

    public void append(String key, String payload) {
        OutboxEntry entry = new OutboxEntry();
        entry.recordKey = key;
        entry.payload = payload;
        entry.createdAt = Clock.now();
        entry.persist();
        written.fire(OutboxWritten.INSTANCE);
    }

    public static String key(String tenantId, String deviceId) {
        return tenantId + "/" + deviceId;
    }

    public static RegistryDevice snapshot(Device device, List<Credential> credentials) {
        return new RegistryDevice(device.tenantId, device.deviceId, device.enabled,
                device.groups.stream().map(group -> group.groupId).sorted().toList(),
                device.labels, credentials.stream().map(RegistryOutbox::secretHash).toList(),
                device.version, device.updatedAt);
    }

    public static SecretHash secretHash(Credential credential) {
        Base64.Encoder base64 = Base64.getEncoder();
        return new SecretHash(credential.id.toString(), credential.algorithm, base64.encodeToString(credential.salt),
                base64.encodeToString(credential.hash), credential.notAfter);
    }

    public String toJson(RegistryDevice device) {
        try {
            return json.writeValueAsString(device);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a RegistryDevice always serializes", e);
        }
    }

    /** Fired after an outbox entry was written; observed after the transaction commits. */
    public enum OutboxWritten {
        INSTANCE
    }
}
