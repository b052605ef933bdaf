package io.outpost.registry.service;

import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.outpost.contracts.Identifiers;
import io.outpost.registry.Tenant;
import io.outpost.registry.rest.TenantRequest;
import io.outpost.rest.ProblemException;

/** Tenants, managed by platform admins. Deleting one deletes its devices and groups, each with a tombstone. */
@ApplicationScoped
public class TenantService {
    static final Pattern TENANT_ID = Pattern.compile(Identifiers.TENANT_ID);

    @Inject
    RegistryOutbox outbox;

    @Transactional
    public Tenant create(TenantRequest request) {
        if (request.id() == null || !TENANT_ID.matcher(request.id()).matches()) {
            throw ProblemException.invalid("id", "must match " + Identifiers.TENANT_ID);
        }
        if (Tenant.findById(request.id()) != null) {
            throw ProblemException.conflict("tenant " + request.id() + " already exists");
        }
        return createUnchecked(request.id(), request.name() == null ? request.id() : request.name());
    }

    /** Creates the tenant unless it exists (used for the configured bootstrap tenants). */
    @Transactional
    public void ensure(String id) {
        if (Tenant.findById(id) == null) {
            createUnchecked(id, id);
        }
    }

    public List<Tenant> list(List<String> ids, boolean all) {
        return all ? Tenant.list("order by id") : Tenant.list("id in ?1 order by id", ids);
    }

    /**
     * Deletes the tenant with its devices and groups, each with a tombstone. The tenant is locked first, so nothing is
     * added to it meanwhile, then its devices and groups, so a change in flight commits, and is relayed, before the
     * tombstone that follows it.
     */
    @Transactional
    public void delete(String id) {
        Tenant tenant = Tenant.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (tenant == null) {
            throw ProblemException.notFound("tenant " + id + " not found");
        }
        lockedIds("select device_id from device where tenant_id = ?1 order by pk for update", id)
                .forEach(deviceId -> outbox.deviceDeleted(id, deviceId));
        lockedIds("select group_id from device_group where tenant_id = ?1 order by pk for update", id)
                .forEach(groupId -> outbox.groupDeleted(id, groupId));
        tenant.delete();
    }

    private static List<String> lockedIds(String sql, String tenantId) {
        return Tenant.getSession().createNativeQuery(sql, String.class).setParameter(1, tenantId).getResultList();
    }

    private static Tenant createUnchecked(String id, String name) {
        Tenant tenant = new Tenant();
        tenant.id = id;
        tenant.displayName = name;
        tenant.createdAt = Clock.now();
        tenant.updatedAt = tenant.createdAt;
        tenant.persist();
        return tenant;
    }
}
