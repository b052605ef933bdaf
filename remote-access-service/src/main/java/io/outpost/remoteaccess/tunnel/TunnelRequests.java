package io.outpost.remoteaccess.tunnel;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.MessageKind;
import io.outpost.contracts.OutboundMessage;
import io.outpost.contracts.RegistryDevice;
import io.outpost.contracts.RemoteAccessEvent;
import io.outpost.contracts.RemoteAccessEventType;
import io.outpost.mailbox.Clock;
import io.outpost.mailbox.Mailbox;
import io.outpost.mailbox.MailboxFullException;
import io.outpost.mailbox.MessageIds;
import io.outpost.remoteaccess.audit.AuditLog;
import io.outpost.remoteaccess.config.RemoteAccessConfig;
import io.outpost.remoteaccess.policy.EffectivePolicy;
import io.outpost.remoteaccess.policy.Switches;
import io.outpost.rest.Durations;
import io.outpost.rest.FieldError;
import io.outpost.rest.ProblemException;

/**
 * What operators do with tunnels over REST: open one (policy checked, both sides' tokens issued, the device told
 * through its mailbox), and close one.
 */
@ApplicationScoped
public class TunnelRequests {
    /** Below {@code devices/{d}/}: where the device's agent hears of a tunnel. */
    public static final String TOPIC_PREFIX = "remote-access/tunnels/";

    @Inject
    RemoteAccessConfig config;
    @Inject
    Switches switches;
    @Inject
    TunnelTokens tokens;
    @Inject
    Mailbox mailbox;
    @Inject
    AuditLog audit;
    @Inject
    TunnelFinish finish;
    @Inject
    ObjectMapper json;

    /** A new tunnel and the operator's token for it. */
    @Transactional
    public TunnelView open(RegistryDevice device, TunnelRequest request, String caller) {
        Instant now = Clock.now();
        Duration maxDuration = validate(request);
        EffectivePolicy policy = switches.effective(device, now);
        if (!policy.allows(request.port())) {
            throw new ProblemException(403, "Forbidden", policy.enabled()
                    ? "remote access to " + device.device() + " allows ports " + policy.ports() + ", not "
                            + request.port()
                    : "remote access to " + device.device() + " is switched off (decided by " + policy.decidedBy()
                            + ")",
                    List.of(new FieldError("port", "not allowed by the device's remote-access policy")));
        }
        Tunnel tunnel = new Tunnel();
        tunnel.id = "tun_" + MessageIds.next();
        tunnel.tenantId = device.tenant();
        tunnel.deviceId = device.device();
        tunnel.deviceIncarnation = device.createdAt() == null ? null
                : device.createdAt().truncatedTo(ChronoUnit.MICROS);
        tunnel.port = request.port();
        tunnel.openedBy = caller;
        tunnel.requestedAt = now;
        Instant byDuration = now.plus(maxDuration);
        tunnel.closesBy = policy.until().isBefore(byDuration) ? policy.until() : byDuration;
        tunnel.state = TunnelState.OPENING;
        tunnel.persist();
        Instant tokenExpiry = now.plus(config.tokenTtl());
        String operatorToken = tokens.issue(tunnel.id, Side.OPERATOR, tokenExpiry);
        tellDevice(tunnel, tokens.issue(tunnel.id, Side.DEVICE, tokenExpiry), tokenExpiry);
        audit.record(new RemoteAccessEvent(AuditLog.newId(), tunnel.tenantId, RemoteAccessEventType.TUNNEL_REQUESTED,
                now, caller, "device", tunnel.deviceId, null, null, "port " + tunnel.port, tunnel.asEvent()),
                tunnel.tenantId + "/" + tunnel.deviceId);
        return TunnelView.withToken(tunnel, url(tunnel.id, Side.OPERATOR), operatorToken, tokenExpiry);
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

    public String url(String tunnelId, Side side) {
        return config.relayUrl() + "/relay/v1/tunnels/" + tunnelId + "/" + side.value();
    }

    private void tellDevice(Tunnel tunnel, String deviceToken, Instant expiresAt) {
        TunnelOffer offer = new TunnelOffer(tunnel.id, tunnel.port, url(tunnel.id, Side.DEVICE), deviceToken,
                expiresAt);
        try {
            mailbox.store(new OutboundMessage(MessageIds.next(), tunnel.tenantId, tunnel.deviceId,
                    MessageKind.TUNNEL_REQUEST, TOPIC_PREFIX + tunnel.id, tunnel.requestedAt, expiresAt,
                    "application/json", json.writeValueAsString(offer).getBytes(StandardCharsets.UTF_8)));
        } catch (MailboxFullException e) {
            throw new ProblemException(429, "Too many requests", e.getMessage()
                    + "; wait until the device took or let expire the tunnel requests it has", List.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tunnel offer always serializes", e);
        }
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

    /** The JSON the device's agent gets (docs/remote-access.md, "The device's side"). */
    record TunnelOffer(String tunnel, int port, String url, String token, Instant expiresAt) {
    }
}
