package io.outpost.inquiry.service;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.outpost.inquiry.HandlerKind;
import io.outpost.inquiry.InquiryHandler;
import io.outpost.inquiry.config.InquiryConfig;
import io.outpost.inquiry.rest.HandlerRequest;
import io.outpost.mailbox.Clock;
import io.outpost.rest.Durations;
import io.outpost.rest.FieldError;
import io.outpost.rest.ProblemException;

/**
 * The tenants' handlers. A webhook must be HTTPS (plain http only to loopback where configured), must not name an
 * address inside a network (checked when it is set; an egress policy is what holds against a name that resolves
 * differently later), and has a secret of at least 32 characters, so a handler that could not be signed for never
 * exists and no call without a valid signature is ever made.
 */
@ApplicationScoped
public class HandlerService {
    /** Inquiry names are one MQTT topic level. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final int MIN_SECRET = 32;
    private static final int MAX_SECRET = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    InquiryConfig config;
    @Inject
    SecretBox secrets;

    /** The handler, and the secret to show once (null when the PUT kept the one it had). */
    public record Saved(InquiryHandler handler, String shownSecret, boolean created) {
    }

    @Transactional
    public Saved put(String tenant, String name, HandlerRequest request, String caller) {
        List<FieldError> errors = new ArrayList<>();
        if (!NAME.matcher(name).matches()) {
            errors.add(new FieldError("name", "must match " + NAME.pattern()));
        }
        if (request == null) {
            throw ProblemException.invalid("body", "a handler is required");
        }
        HandlerKind kind = kind(request.kind(), errors);
        Duration timeout = Durations.field("timeout", request.timeout(), config.defaultWebhookTimeout(),
                config.maxWebhookTimeout(), errors);
        Duration lifetime = Durations.field("defaultLifetime", request.defaultLifetime(), config.defaultLifetime(),
                config.maxLifetime(), errors);
        Duration answerTtl = Durations.field("answerTtl", request.answerTtl(), config.defaultAnswerTtl(),
                config.maxLifetime(), errors);
        if (kind == HandlerKind.WEBHOOK) {
            checkUrl(request.url(), errors);
            if (request.secret() != null && (request.secret().length() < MIN_SECRET
                    || request.secret().length() > MAX_SECRET)) {
                errors.add(new FieldError("secret", "must be " + MIN_SECRET + " to " + MAX_SECRET + " characters"));
            }
        } else if (kind == HandlerKind.KAFKA) {
            for (String field : new String[] {"url", "secret", "timeout"}) {
                if (given(request, field)) {
                    errors.add(new FieldError(field, "only a webhook handler has one"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        // Two PUTs of a new name at once: the second waits and replaces what the first created.
        InquiryHandler.getEntityManager().createNativeQuery("select pg_advisory_xact_lock(hashtextextended(?1, 0))")
                .setParameter(1, "inquiry-handler:" + tenant + "/" + name).getSingleResult();
        InquiryHandler handler = InquiryHandler.find(tenant, name);
        boolean created = handler == null;
        if (created) {
            handler = new InquiryHandler();
            handler.tenantId = tenant;
            handler.name = name;
        }
        String shown = null;
        if (kind == HandlerKind.WEBHOOK) {
            if (request.secret() != null) {
                shown = request.secret();
            } else if (handler.secret == null || Boolean.TRUE.equals(request.rotateSecret())) {
                shown = newSecret();
            }
            handler.secret = shown != null ? secrets.seal(shown) : handler.secret;
            handler.url = request.url();
        } else {
            handler.secret = null;
            handler.url = null;
        }
        handler.kind = kind;
        handler.timeoutMillis = timeout.toMillis();
        handler.defaultLifetimeMillis = lifetime.toMillis();
        handler.answerTtlMillis = answerTtl.toMillis();
        handler.latestOnly = Boolean.TRUE.equals(request.latestOnly());
        handler.updatedAt = Clock.now();
        handler.updatedBy = caller;
        if (created) {
            handler.persist();
        }
        return new Saved(handler, shown, created);
    }

    public InquiryHandler get(String tenant, String name) {
        InquiryHandler handler = InquiryHandler.find(tenant, name);
        if (handler == null) {
            throw ProblemException.notFound("no handler for inquiries named " + name);
        }
        return handler;
    }

    public List<InquiryHandler> list(String tenant) {
        return InquiryHandler.list("tenantId = ?1 order by name", tenant);
    }

    /** Inquiries of this name opened from now on fail with "no handler"; open ones keep waiting for answers. */
    @Transactional
    public void delete(String tenant, String name) {
        get(tenant, name).delete();
    }

    private static HandlerKind kind(String text, List<FieldError> errors) {
        if (text == null) {
            errors.add(new FieldError("kind", "is required: webhook or kafka"));
            return null;
        }
        try {
            return HandlerKind.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("kind", "must be webhook or kafka"));
            return null;
        }
    }

    private void checkUrl(String url, List<FieldError> errors) {
        if (url == null) {
            errors.add(new FieldError("url", "is required for a webhook"));
            return;
        }
        try {
            URI uri = new URI(url);
            String host = uri.getHost();
            boolean https = "https".equals(uri.getScheme());
            boolean loopbackHttp = "http".equals(uri.getScheme()) && config.webhookAllowLoopbackHttp() && loopback(host);
            if (host == null || !(https || loopbackHttp) || uri.getUserInfo() != null || uri.getFragment() != null) {
                errors.add(new FieldError("url", "must be an https:// URL with a host, without user info or fragment"));
            } else if (!loopbackHttp && !config.webhookAllowPrivateAddresses() && internal(host)) {
                errors.add(new FieldError("url", "must not name a loopback, private or link-local address: the service"
                        + " would call into its own network"));
            }
        } catch (URISyntaxException e) {
            errors.add(new FieldError("url", "is not a URL: " + e.getReason()));
        }
    }

    private static boolean loopback(String host) {
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
    }

    /** Whether the host is, or resolves now to, an address inside a network (not one reached over the internet). */
    private static boolean internal(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host.startsWith("[") ? host.substring(1,
                    host.length() - 1) : host)) {
                byte[] bytes = address.getAddress();
                boolean uniqueLocal = bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
                if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                        || address.isAnyLocalAddress() || address.isMulticastAddress() || uniqueLocal) {
                    return true;
                }
            }
            return false;
        } catch (UnknownHostException e) {
            // Not resolvable now: nothing to call yet; the call fails (error answer) until it resolves.
            return false;
        }
    }

    private static boolean given(HandlerRequest request, String field) {
        return switch (field) {
            case "url" -> request.url() != null;
            case "secret" -> request.secret() != null || request.rotateSecret() != null;
            default -> request.timeout() != null;
        };
    }

    private static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
