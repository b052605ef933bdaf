package io.outpost.remoteaccess.tunnel;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.MessageKind;
import io.outpost.contracts.OutboundMessage;
import io.outpost.contracts.RegistryDevice;
import io.outpost.contracts.RemoteAccessEvent;
import io.outpost.contracts.RemoteAccessEventType;
import io.outpost.mailbox.Clock;
import io.outpost.mailbox.GroupCommit;
import io.outpost.mailbox.GroupCommit.Outcome;
import io.outpost.mailbox.Mailbox;
import io.outpost.mailbox.MailboxConfig;
import io.outpost.mailbox.MailboxFullException;
import io.outpost.mailbox.MessageIds;
import io.outpost.remoteaccess.audit.AuditLog;
import io.outpost.remoteaccess.config.RemoteAccessConfig;
import io.outpost.remoteaccess.policy.AccessSwitch;
import io.outpost.remoteaccess.policy.EffectivePolicy;
import io.outpost.rest.FieldError;
import io.outpost.rest.ProblemException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Opens tunnels by group commit: the POSTs of concurrent operators are written together, one transaction for all of
 * them (policy, tunnel, both sides' tokens, the device's offer in its mailbox, the audit), a few round trips for the
 * whole batch, each POST with its own answer.
 * A burst of POSTs for one device then waits on that device's mailbox lock once per batch, on a writer's connection,
 * instead of once per POST on a connection each, which starved the relay's WebSocket upgrades of connections.
 */
@ApplicationScoped
public class TunnelIntake {
    /** Below {@code devices/{d}/}: where the device's agent hears of a tunnel. */
    public static final String TOPIC_PREFIX = "remote-access/tunnels/";
    private static final int WRITERS = 2;
    private static final int MAX_BATCH = 64;
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);

    /** A validated POST. */
    public record Request(RegistryDevice device, int port, Duration maxDuration, String caller) {
    }

    /** The JSON the device's agent gets (docs/remote-access.md, "The device's side"). */
    record TunnelOffer(String tunnel, int port, String url, String token, Instant expiresAt) {
    }

    /** A tunnel the policy allows, not yet written. */
    private record Accepted(int index, Tunnel tunnel, String operatorToken, String deviceToken, OutboundMessage offer) {
    }

    @Inject
    RemoteAccessConfig config;
    @Inject
    TunnelTokens tokens;
    @Inject
    Mailbox mailbox;
    @Inject
    MailboxConfig mailboxConfig;
    @Inject
    AuditLog audit;
    @Inject
    ObjectMapper json;

    private GroupCommit<Request, TunnelView> group;

    void start(@Observes StartupEvent start) {
        group = new GroupCommit<>("tunnel-intake", WRITERS, MAX_BATCH, this::write);
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        group.stop();
    }

    /** Opens the tunnel with the others that arrived meanwhile; it and the operator's token, or its problem thrown. */
    public TunnelView submit(Request request) {
        return group.submit(request, ANSWER_WITHIN);
    }

    public String url(String tunnelId, Side side) {
        return config.relayUrl() + "/relay/v1/tunnels/" + tunnelId + "/" + side.value();
    }

    private List<Outcome<TunnelView>> write(List<Request> requests) {
        Instant now = Clock.now();
        Instant tokenExpiry = now.plus(config.tokenTtl());
        List<Outcome<TunnelView>> outcomes = new ArrayList<>(Collections.nCopies(requests.size(), null));
        List<Accepted> accepted = accept(requests, outcomes, now, tokenExpiry);
        if (!accepted.isEmpty()) {
            persist(accepted, mailbox.storeAll(accepted.stream().map(Accepted::offer).toList()), outcomes, now,
                    tokenExpiry);
        }
        return outcomes;
    }

    /** The requests the policy allows, each with its tunnel and offer; the others' outcomes set to 403. */
    private List<Accepted> accept(List<Request> requests, List<Outcome<TunnelView>> outcomes, Instant now,
            Instant tokenExpiry) {
        Map<String, List<AccessSwitch>> switches = new HashMap<>();
        List<Accepted> accepted = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i);
            RegistryDevice device = request.device();
            EffectivePolicy policy = EffectivePolicy.of(device.device(), device.groups(),
                    switches.computeIfAbsent(device.tenant(), AccessSwitch::ofTenant), now);
            if (!policy.allows(request.port())) {
                outcomes.set(i, Outcome.failed(forbidden(device, request.port(), policy)));
                continue;
            }
            Tunnel tunnel = newTunnel(request, policy, now);
            String deviceToken = TunnelTokens.newToken();
            accepted.add(new Accepted(i, tunnel, TunnelTokens.newToken(), deviceToken,
                    offer(tunnel, deviceToken, tokenExpiry)));
        }
        return accepted;
    }

    /** Writes the tunnels whose offer the mailbox took, their tokens and audit; the others' outcomes set to 429. */
    private void persist(List<Accepted> accepted, List<Boolean> stored, List<Outcome<TunnelView>> outcomes,
            Instant now, Instant tokenExpiry) {
        List<TunnelTokens.Issued> issued = new ArrayList<>();
        List<AuditLog.Entry> requested = new ArrayList<>();
        for (int a = 0; a < accepted.size(); a++) {
            Accepted one = accepted.get(a);
            Tunnel tunnel = one.tunnel();
            if (!stored.get(a)) {
                outcomes.set(one.index(), Outcome.failed(mailboxFull(tunnel)));
                continue;
            }
            tunnel.persist();
            issued.add(new TunnelTokens.Issued(tunnel.id, Side.OPERATOR, one.operatorToken(), tokenExpiry));
            issued.add(new TunnelTokens.Issued(tunnel.id, Side.DEVICE, one.deviceToken(), tokenExpiry));
            requested.add(new AuditLog.Entry(new RemoteAccessEvent(AuditLog.newId(), tunnel.tenantId,
                    RemoteAccessEventType.TUNNEL_REQUESTED, now, tunnel.openedBy, "device", tunnel.deviceId, null, null,
                    "port " + tunnel.port, tunnel.asEvent()), tunnel.tenantId + "/" + tunnel.deviceId));
            outcomes.set(one.index(), Outcome.of(TunnelView.withToken(tunnel, url(tunnel.id, Side.OPERATOR),
                    one.operatorToken(), tokenExpiry)));
        }
        tokens.storeAll(issued);
        audit.recordAll(requested);
    }

    private static Tunnel newTunnel(Request request, EffectivePolicy policy, Instant now) {
        RegistryDevice device = request.device();
        Tunnel tunnel = new Tunnel();
        tunnel.id = "tun_" + MessageIds.next();
        tunnel.tenantId = device.tenant();
        tunnel.deviceId = device.device();
        tunnel.deviceIncarnation = device.createdAt() == null ? null
                : device.createdAt().truncatedTo(ChronoUnit.MICROS);
        tunnel.port = request.port();
        tunnel.openedBy = request.caller();
        tunnel.requestedAt = now;
        Instant byDuration = now.plus(request.maxDuration());
        tunnel.closesBy = policy.until().isBefore(byDuration) ? policy.until() : byDuration;
        tunnel.state = TunnelState.OPENING;
        return tunnel;
    }

    private OutboundMessage offer(Tunnel tunnel, String deviceToken, Instant expiresAt) {
        TunnelOffer offer = new TunnelOffer(tunnel.id, tunnel.port, url(tunnel.id, Side.DEVICE), deviceToken,
                expiresAt);
        try {
            return new OutboundMessage(MessageIds.next(), tunnel.tenantId, tunnel.deviceId,
                    MessageKind.TUNNEL_REQUEST, TOPIC_PREFIX + tunnel.id, tunnel.requestedAt, expiresAt,
                    "application/json", json.writeValueAsString(offer).getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tunnel offer always serializes", e);
        }
    }

    private static ProblemException forbidden(RegistryDevice device, int port, EffectivePolicy policy) {
        return new ProblemException(403, "Forbidden", policy.enabled()
                ? "remote access to " + device.device() + " allows ports " + policy.ports() + ", not " + port
                : "remote access to " + device.device() + " is switched off (decided by " + policy.decidedBy() + ")",
                List.of(new FieldError("port", "not allowed by the device's remote-access policy")));
    }

    private ProblemException mailboxFull(Tunnel tunnel) {
        String full = new MailboxFullException(tunnel.tenantId, tunnel.deviceId, mailboxConfig.maxPendingPerDevice())
                .getMessage();
        return new ProblemException(429, "Too many requests", full
                + "; wait until the device took or let expire the tunnel requests it has", List.of());
    }
}
