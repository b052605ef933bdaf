package io.outpost.registry.service;

import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.RegistryDevice;
import io.outpost.contracts.RegistryGroup;
import io.outpost.contracts.SecretHash;
import io.outpost.contracts.Topics;
import io.outpost.registry.Credential;
import io.outpost.registry.Device;
import io.outpost.registry.DeviceGroup;
import io.outpost.registry.OutboxEntry;

/**
 * Records, inside the caller's transaction, what the registry's compacted topics must learn: the whole device or group
 * after the change, or a tombstone. A rolled-back change therefore leaves no record, and a committed one is relayed by
 * {@link io.outpost.registry.messaging.RegistryOutboxRelay}, which {@link OutboxWritten} wakes after commit.
 * <p>
 * The change methods flush before they write: the changed row is then locked, so the writers of one key take their
 * outbox sequence numbers, and are relayed, in the order they commit.
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
        append(Topics.REGISTRY_DEVICES, key(device.tenantId, device.deviceId),
                toJson(snapshot(device, Credential.active(device.pk))));
    }

    public void deviceDeleted(String tenantId, String deviceId) {
        append(Topics.REGISTRY_DEVICES, key(tenantId, deviceId), null);
    }

    /** Call after creating or changing the group (this flushes first, which moves its version). */
    public void groupChanged(DeviceGroup group) {
        DeviceGroup.getEntityManager().flush();
        append(Topics.REGISTRY_GROUPS, key(group.tenantId, group.groupId), toJson(snapshot(group)));
    }

    public void groupDeleted(String tenantId, String groupId) {
        append(Topics.REGISTRY_GROUPS, key(tenantId, groupId), null);
    }

    private void append(String topic, String key, String payload) {
        OutboxEntry entry = new OutboxEntry();
        entry.topic = topic;
        entry.recordKey = key;
        entry.payload = payload;
        entry.createdAt = Clock.now();
        entry.persist();
        written.fire(OutboxWritten.INSTANCE);
    }

    /** The record key of a device ({@code tenant/device}) or a group ({@code tenant/group}). */
    public static String key(String tenantId, String id) {
        return tenantId + "/" + id;
    }

    public static RegistryDevice snapshot(Device device, List<Credential> credentials) {
        return new RegistryDevice(device.tenantId, device.deviceId, device.enabled,
                device.groups.stream().map(group -> group.groupId).sorted().toList(),
                device.labels, credentials.stream().map(RegistryOutbox::secretHash).toList(),
                device.version, device.updatedAt, device.createdAt);
    }

    public static RegistryGroup snapshot(DeviceGroup group) {
        return new RegistryGroup(group.tenantId, group.groupId, group.displayName, group.version, group.updatedAt);
    }

    public static SecretHash secretHash(Credential credential) {
        Base64.Encoder base64 = Base64.getEncoder();
        return new SecretHash(credential.id.toString(), credential.algorithm, base64.encodeToString(credential.salt),
                base64.encodeToString(credential.hash), credential.notAfter);
    }

    public String toJson(Object record) {
        try {
            return json.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a registry record always serializes", e);
        }
    }

    /** Fired after an outbox entry was written; observed after the transaction commits. */
    public enum OutboxWritten {
        INSTANCE
    }
}
