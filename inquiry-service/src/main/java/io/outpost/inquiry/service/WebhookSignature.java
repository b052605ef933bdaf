package io.outpost.inquiry.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Outpost-Signature} header of a webhook call: {@code t={unix seconds},v1={hex HMAC-SHA256}} over
 * {@code {t}.{body}} with the handler's secret. The receiver recomputes it and refuses a call whose {@code t} is more
 * than a few minutes old, so a recorded call cannot be replayed later (docs/inquiry-api.md).
 */
public final class WebhookSignature {
    public static final String HEADER = "Outpost-Signature";

    private WebhookSignature() {
    }

    public static String header(String secret, long epochSecond, byte[] body) {
        return "t=" + epochSecond + ",v1=" + HexFormat.of().formatHex(hmac(secret, epochSecond, body));
    }

    static byte[] hmac(String secret, long epochSecond, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((epochSecond + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
