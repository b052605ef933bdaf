package io.outpost.remoteaccess.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.outpost.contracts.RegistryDevice;
import io.outpost.contracts.RemoteAccessEvent;
import io.outpost.contracts.RemoteAccessEventType;
import io.outpost.mailbox.Clock;
import io.outpost.remoteaccess.audit.AuditLog;
import io.outpost.remoteaccess.config.RemoteAccessConfig;
import io.outpost.rest.FieldError;
import io.outpost.rest.ProblemException;

/**
 * Sets, removes and reads a tenant's switches, each change audited. Closing what a change no longer allows is the
 * relay nodes' job ({@code TunnelGuard}), which checks every open tunnel against the switches a few times a second.
 */
@ApplicationScoped
public class Switches {
    private static final int MAX_PORTS = 32;
    private static final int MAX_REASON = 500;

    @Inject
    RemoteAccessConfig config;
    @Inject
    AuditLog audit;
    @Inject
    EntityManager entityManager;

    @Transactional
    public AccessSwitch set(String tenant, Scope scope, String target, SwitchRequest request, String caller) {
        Instant now = Clock.now();
        validate(request, now);
        String id = scope.key(tenant, target);
        // Two first PUTs of one switch at once would both insert; the second waits here and updates instead.
        entityManager.createNativeQuery("select pg_advisory_xact_lock(hashtext(?1))").setParameter(1, id)
                .getSingleResult();
        AccessSwitch existing = AccessSwitch.findById(id, LockModeType.PESSIMISTIC_WRITE);
        RemoteAccessEvent.Switch before = existing == null ? null : existing.asEvent();
        AccessSwitch set = existing == null ? new AccessSwitch() : existing;
        set.id = id;
        set.tenantId = tenant;
        set.scope = scope;
        set.target = target;
        set.enabled = request.enabled();
        set.until = request.until() == null ? null : request.until().truncatedTo(ChronoUnit.MICROS);
        set.ports = request.ports() == null ? List.of() : List.copyOf(new TreeSet<>(request.ports()));
        set.reason = request.reason();
        set.setBy = caller;
        set.setAt = now;
        if (existing == null) {
            set.persist();
        }
        audit.record(new RemoteAccessEvent(AuditLog.newId(), tenant, RemoteAccessEventType.SWITCH_SET, now, caller,
                scope.value(), target, before, set.asEvent(), request.reason(), null), id);
        return set;
    }

    @Transactional
    public void remove(String tenant, Scope scope, String target, String caller) {
        String id = scope.key(tenant, target);
        AccessSwitch existing = AccessSwitch.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (existing == null) {
            throw ProblemException.notFound("no remote-access switch is set for " + describe(scope, target));
        }
        existing.delete();
        audit.record(new RemoteAccessEvent(AuditLog.newId(), tenant, RemoteAccessEventType.SWITCH_REMOVED,
                Clock.now(), caller, scope.value(), target, existing.asEvent(), null, null, null), id);
    }

    public Optional<AccessSwitch> find(String tenant, Scope scope, String target) {
        return AccessSwitch.findByIdOptional(scope.key(tenant, target));
    }

    /** The device's effective policy now, from the registry view's groups and the tenant's switches. */
    public EffectivePolicy effective(RegistryDevice device, Instant now) {
        return EffectivePolicy.of(device.device(), device.groups(), AccessSwitch.ofTenant(device.tenant()), now);
    }

    private void validate(SwitchRequest request, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        if (request == null) {
            throw ProblemException.invalid("enabled", "is required");
        }
        if (request.enabled() == null) {
            errors.add(new FieldError("enabled", "is required"));
        }
        boolean enabling = Boolean.TRUE.equals(request.enabled());
        Duration max = config.maxSwitchDuration();
        if (enabling && request.until() == null) {
            errors.add(new FieldError("until", "is required when enabling"));
        } else if (request.until() != null && !request.until().isAfter(now)) {
            errors.add(new FieldError("until", "must lie in the future"));
        } else if (request.until() != null && request.until().isAfter(now.plus(max))) {
            errors.add(new FieldError("until", "must be at most " + max.toDays() + " days ahead"));
        }
        if (enabling && (request.ports() == null || request.ports().isEmpty())) {
            errors.add(new FieldError("ports", "needs at least one port when enabling"));
        } else if (request.ports() != null) {
            validatePorts(request.ports(), errors);
        }
        if (request.reason() == null || request.reason().isBlank()) {
            errors.add(new FieldError("reason", "is required"));
        } else if (request.reason().length() > MAX_REASON) {
            errors.add(new FieldError("reason", "must be at most " + MAX_REASON + " characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
    }

    private static void validatePorts(List<Integer> ports, List<FieldError> errors) {
        if (ports.size() > MAX_PORTS) {
            errors.add(new FieldError("ports", "must list at most " + MAX_PORTS + " ports"));
        }
        for (int i = 0; i < ports.size(); i++) {
            Integer port = ports.get(i);
            if (port == null || port < 1 || port > 65535) {
                errors.add(new FieldError("ports[" + i + "]", "must be a port from 1 to 65535"));
            }
        }
    }

    static String describe(Scope scope, String target) {
        return scope == Scope.FLEET ? "the fleet" : scope.value() + " " + target;
    }
}
