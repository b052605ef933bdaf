package io.outpost.remoteaccess.relay;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.outpost.contracts.RegistryDevice;
import io.outpost.mailbox.Clock;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.remoteaccess.config.RemoteAccessConfig;
import io.outpost.remoteaccess.policy.AccessSwitch;
import io.outpost.remoteaccess.policy.EffectivePolicy;
import io.outpost.remoteaccess.tunnel.CloseCodes;
import io.outpost.remoteaccess.tunnel.Side;
import io.outpost.remoteaccess.tunnel.Tunnel;
import io.outpost.remoteaccess.tunnel.TunnelConnections;
import io.outpost.remoteaccess.tunnel.TunnelFinish;
import io.outpost.remoteaccess.tunnel.TunnelState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Every {@code guard-interval}, checks each side connected to this node against its tunnel and policy, and closes those
 * that must end: closed by an operator, switched off or no longer allowing the port, past the switch's end time or the
 * tunnel's maximum duration, the device deleted, or the other side not connected in time. Each node checks its own
 * sides, so a switch turned off closes every tunnel it covered on every node within an interval or so.
 */
@ApplicationScoped
public class TunnelGuard {
    private static final Logger LOG = Logger.getLogger(TunnelGuard.class);
    /** Longer than a splice takes at worst (a peer awaited for 5 s): a side still alone by then never will be. */
    private static final Duration SPLICE_WAIT = Duration.ofSeconds(10);

    @Inject
    LocalSides sides;
    @Inject
    TunnelFinish finish;
    @Inject
    TunnelConnections connections;
    @Inject
    DeviceDirectory devices;
    @Inject
    RemoteAccessConfig config;
    @Inject
    NodeAddress nodeAddress;
    @Inject
    Vertx vertx;

    private final AtomicBoolean running = new AtomicBoolean();
    private long timer;
    /**
     * A tunnel still not CLOSED this long after its end: no node holds it any more (one crashed and came back under
     * another address, as a Kubernetes pod does), so any node records it closed.
     */
    private static final Duration OVERDUE = Duration.ofMinutes(1);

    void start(@Observes StartupEvent start) {
        closeOrphans();
        timer = vertx.setPeriodic(config.guardInterval().toMillis(), tick -> {
            if (running.compareAndSet(false, true)) {
                vertx.executeBlocking(() -> {
                    check();
                    return null;
                }, false).onComplete(done -> {
                    running.set(false);
                    if (done.failed()) {
                        LOG.debugf("tunnel check failed, retrying on the next tick: %s", done.cause().toString());
                    }
                });
            }
        });
    }

    void stop(@Observes ShutdownEvent stop) {
        vertx.cancelTimer(timer);
    }

    private void closeOrphans() {
        try {
            int closed = connections.closeOrphans(nodeAddress.url());
            if (closed > 0) {
                LOG.infof("closed %d tunnels this node held before it restarted", closed);
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not close the tunnels of this node's previous run yet: %s", e.toString());
        }
    }

    void check() {
        List<LocalSide> local = sides.all();
        if (!local.isEmpty()) {
            closeWhatMustEnd(local, Clock.now());
        }
        finish.closeUnclaimed(Clock.now().minus(config.tokenTtl()));
        finish.closeOverdue(Clock.now().minus(OVERDUE));
    }

    private void closeWhatMustEnd(List<LocalSide> local, Instant now) {
        Map<String, Tunnel> tunnels = new HashMap<>();
        Map<String, List<AccessSwitch>> switches = new HashMap<>();
        QuarkusTransaction.requiringNew().run(() -> {
            Tunnel.<Tunnel>list("id in ?1", local.stream().map(side -> side.tunnelId).toList())
                    .forEach(tunnel -> tunnels.put(tunnel.id, tunnel));
            local.forEach(side -> switches.computeIfAbsent(side.tenant, AccessSwitch::ofTenant));
        });
        for (LocalSide side : local) {
            Tunnel tunnel = tunnels.get(side.tunnelId);
            if (tunnel == null) {
                continue;
            }
            verdict(side, tunnel, switches.get(side.tenant), now).ifPresent(end -> {
                finish.requestClose(side.tunnelId, end.code(), end.reason());
                side.close(end.code(), end.reason());
            });
        }
    }

    private Optional<End> verdict(LocalSide side, Tunnel tunnel, List<AccessSwitch> switches, Instant now) {
        if (tunnel.closeCode != null) {
            return Optional.of(new End(tunnel.closeCode, tunnel.closeReason));
        }
        if (tunnel.state == TunnelState.CLOSED) {
            return Optional.of(new End(CloseCodes.NORMAL, "the tunnel is closed"));
        }
        if (!devices.caughtUp()) {
            return Optional.empty();
        }
        Optional<RegistryDevice> device = devices.find(side.tenant + "/" + side.device);
        if (device.isEmpty() || !sameIncarnation(tunnel, device.get())) {
            return Optional.of(new End(CloseCodes.CLOSED_BY_POLICY, "the device was deleted"));
        }
        EffectivePolicy policy = EffectivePolicy.of(side.device, device.get().groups(), switches, now);
        if (!policy.allows(side.port)) {
            return Optional.of(new End(CloseCodes.CLOSED_BY_POLICY, policy.enabled()
                    ? "remote access no longer allows port " + side.port
                    : "remote access was switched off, or its end time passed (decided by " + policy.decidedBy()
                            + ")"));
        }
        if (!now.isBefore(tunnel.closesBy)) {
            return Optional.of(new End(CloseCodes.MAX_DURATION, "the tunnel's maximum duration passed"));
        }
        if (!side.spliced() && tunnel.state == TunnelState.OPEN
                && now.isAfter(side.connectedAt.plus(SPLICE_WAIT))) {
            return Optional.of(new End(CloseCodes.RELAY_NODE_LOST, "the other side connected but never joined"));
        }
        if (!side.spliced() && tunnel.state == TunnelState.OPENING
                && now.isAfter(tunnel.requestedAt.plus(config.tokenTtl()))) {
            return Optional.of(new End(CloseCodes.DEVICE_DID_NOT_CONNECT, side.side == Side.OPERATOR
                    ? "the device did not connect in time" : "the operator did not connect in time"));
        }
        return Optional.empty();
    }

    private static boolean sameIncarnation(Tunnel tunnel, RegistryDevice device) {
        return tunnel.deviceIncarnation == null || device.createdAt() == null
                || tunnel.deviceIncarnation.equals(device.createdAt().truncatedTo(ChronoUnit.MICROS));
    }

    private record End(int code, String reason) {
    }
}
