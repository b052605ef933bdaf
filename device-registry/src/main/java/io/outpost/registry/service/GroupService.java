package io.outpost.registry.service;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.outpost.registry.Device;
import io.outpost.registry.DeviceGroup;
import io.outpost.registry.rest.GroupRequest;
import io.outpost.rest.FieldError;
import io.outpost.rest.ProblemException;

/**
 * Groups and their members. Every group change publishes the group's record (a tombstone once deleted); a membership
 * change republishes the device, whose record lists its groups.
 */
@ApplicationScoped
public class GroupService {
    static final int MAX_TEXT = 1024;

    @Inject
    DeviceService devices;
    @Inject
    RegistryOutbox outbox;

    @Transactional
    public DeviceGroup create(String tenantId, GroupRequest request) {
        if (request.id() == null || !DeviceValidator.DEVICE_ID.matcher(request.id()).matches()) {
            throw ProblemException.invalid("id", "must match " + DeviceValidator.DEVICE_ID.pattern());
        }
        validateText(request);
        if (DeviceGroup.find(tenantId, request.id()).isPresent()) {
            throw ProblemException.conflict("group " + request.id() + " already exists");
        }
        DeviceGroup group = new DeviceGroup();
        group.tenantId = tenantId;
        group.groupId = request.id();
        group.createdAt = Clock.now();
        apply(group, request);
        group.persist();
        outbox.groupChanged(group);
        return group;
    }

    public DeviceGroup get(String tenantId, String groupId) {
        return DeviceGroup.find(tenantId, groupId)
                .orElseThrow(() -> ProblemException.notFound("group " + groupId + " not found"));
    }

    public List<DeviceGroup> list(String tenantId) {
        return DeviceGroup.list("tenantId = ?1 order by groupId", tenantId);
    }

    /** Member count per group id of the tenant, in one query; groups without members are absent. */
    public Map<String, Long> memberCounts(String tenantId) {
        return DeviceGroup.getEntityManager()
                .createQuery("select g.groupId, count(d) from Device d join d.groups g where g.tenantId = :tenant"
                        + " group by g.groupId", Object[].class)
                .setParameter("tenant", tenantId).getResultStream()
                .collect(Collectors.toMap(row -> (String) row[0], row -> (Long) row[1]));
    }

    public long memberCount(DeviceGroup group) {
        return DeviceGroup.getEntityManager()
                .createQuery("select count(d) from Device d join d.groups g where g = :group", Long.class)
                .setParameter("group", group).getSingleResult();
    }

    @Transactional
    public DeviceGroup replace(String tenantId, String groupId, Long expectedVersion, GroupRequest request) {
        if (request.id() != null && !request.id().equals(groupId)) {
            throw ProblemException.invalid("id", "must be absent or equal " + groupId + ": group ids cannot change");
        }
        validateText(request);
        DeviceGroup group = get(tenantId, groupId);
        DeviceService.requireVersion(group.version, expectedVersion);
        apply(group, request);
        outbox.groupChanged(group);
        return group;
    }

    /** Deletes the group (a tombstone); its former members are republished without it. */
    @Transactional
    public void delete(String tenantId, String groupId, Long expectedVersion) {
        DeviceGroup group = get(tenantId, groupId);
        DeviceService.requireVersion(group.version, expectedVersion);
        // Locked before its members are read: a member being added commits first and is listed, or waits and fails.
        DeviceGroup.getEntityManager().lock(group, LockModeType.PESSIMISTIC_WRITE);
        List<Device> members = Device.list("select d from Device d join d.groups g where g = ?1", group);
        for (Device member : members) {
            member.groups.remove(group);
            DeviceService.touch(member);
        }
        group.delete();
        DeviceGroup.getEntityManager().flush();
        members.forEach(outbox::deviceChanged);
        outbox.groupDeleted(tenantId, groupId);
    }

    /** Adds the device to the group; adding a member twice is harmless. */
    @Transactional
    public void addMember(String tenantId, String groupId, String deviceId) {
        DeviceGroup group = get(tenantId, groupId);
        Device device = devices.get(tenantId, deviceId);
        if (device.groups.add(group)) {
            DeviceService.touch(device);
            outbox.deviceChanged(device);
        }
    }

    @Transactional
    public void removeMember(String tenantId, String groupId, String deviceId) {
        DeviceGroup group = get(tenantId, groupId);
        Device device = devices.get(tenantId, deviceId);
        if (!device.groups.remove(group)) {
            throw ProblemException.notFound("device " + deviceId + " is not a member of group " + groupId);
        }
        DeviceService.touch(device);
        outbox.deviceChanged(device);
    }

    private static void validateText(GroupRequest request) {
        if (request.name() != null && request.name().length() > MAX_TEXT) {
            throw ProblemException.invalid(List.of(new FieldError("name", "at most " + MAX_TEXT + " characters")));
        }
        if (request.description() != null && request.description().length() > MAX_TEXT) {
            throw ProblemException.invalid(List.of(new FieldError("description", "at most " + MAX_TEXT + " characters")));
        }
    }

    private static void apply(DeviceGroup group, GroupRequest request) {
        group.displayName = request.name();
        group.description = request.description();
        group.updatedAt = Clock.now();
    }
}
