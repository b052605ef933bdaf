package io.outpost.remoteaccess.tunnel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.outpost.contracts.RegistryDevice;
import io.outpost.remoteaccess.config.RemoteAccessConfig;
import io.outpost.rest.Durations;
import io.outpost.rest.FieldError;
import io.outpost.rest.ProblemException;

/**
 * What operators do with tunnels over REST: open one (validated here, written by the {@link TunnelIntake} with the
 * other POSTs of the moment), and close one.
 */
@ApplicationScoped
public class TunnelRequests {
    @Inject
    RemoteAccessConfig config;
    @Inject
    TunnelIntake intake;
    @Inject
    TunnelFinish finish;

    /** A new tunnel and the operator's token for it. */
    public TunnelView open(RegistryDevice device, TunnelRequest request, String caller) {
        Duration maxDuration = validate(request);
        return intake.submit(new TunnelIntake.Request(device, request.port(), maxDuration, caller));
    }

    /** Asks the relay nodes to close it (within a second); closes it at once if no side ever connected. */
    @Transactional
    public Tunnel close(String tenant, String id, String caller) {
        Tunnel tunnel = Tunnel.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (tunnel == null || !tunnel.tenantId.equals(tenant)) {
            throw ProblemException.notFound("no tunnel " + id);
        }
        if (tunnel.state != TunnelState.CLOSED && tunnel.closeCode == null) {
            tunnel.closeCode = CloseCodes.CLOSED_BY_OPERATOR;
            tunnel.closeReason = "closed by " + caller;
            if (tunnel.operatorNode == null && tunnel.deviceNode == null) {
                finish.closeLocked(tunnel, tunnel.closeCode, tunnel.closeReason, 0, 0);
            }
        }
        return tunnel;
    }

    private Duration validate(TunnelRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (request == null || request.port() == null) {
            throw ProblemException.invalid("port", "is required");
        }
        if (request.port() < 1 || request.port() > 65535) {
            errors.add(new FieldError("port", "must be a port from 1 to 65535"));
        }
        Duration maxDuration = Durations.field("maxDuration", request.maxDuration(), config.defaultTunnelDuration(),
                config.maxTunnelDuration(), errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return maxDuration;
    }
}
