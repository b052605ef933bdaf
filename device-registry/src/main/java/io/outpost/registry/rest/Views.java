package io.outpost.registry.rest;

import io.outpost.registry.ConnectionStatus;
import io.outpost.registry.Device;
import io.outpost.registry.DeviceGroup;
import io.outpost.registry.Tenant;

/** Entities to API representations. */
final class Views {
    private Views() {
    }

    static DeviceView device(Device device, ConnectionStatus status) {
        return new DeviceView(device.deviceId, device.tenantId, device.enabled, device.labels, device.attributes,
                device.groups.stream().map(group -> group.groupId).sorted().toList(), connection(status),
                device.createdAt, device.updatedAt, device.version);
    }

    static ConnectionView connection(ConnectionStatus status) {
        if (status == null) {
            return ConnectionView.NEVER_CONNECTED;
        }
        return new ConnectionView(status.online, status.since, status.lastSeen, status.node, status.sessionId,
                status.protocolVersion, status.remoteAddress);
    }

    static GroupView group(DeviceGroup group, long members) {
        return new GroupView(group.groupId, group.tenantId, group.displayName, group.description, members,
                group.createdAt, group.updatedAt, group.version);
    }

    static TenantView tenant(Tenant tenant) {
        return new TenantView(tenant.id, tenant.displayName, tenant.createdAt, tenant.version);
    }
}
