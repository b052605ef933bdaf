package io.outpost.remoteaccess.tunnel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * Single-use tokens of a tunnel's sides: 256 random bits, handed out once, stored only as their SHA-256. Redeeming
 * one uses it up in the same statement that checks it, so two upgrades racing with one token cannot both win.
 */
@ApplicationScoped
public class TunnelTokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    EntityManager entityManager;

    /** A new token of the side, valid until {@code expiresAt}; in the caller's transaction. */
    public String issue(String tunnelId, Side side, Instant expiresAt) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        entityManager.createNativeQuery("insert into tunnel_token (hash, tunnel_id, side, expires_at)"
                + " values (?1, ?2, ?3, ?4)")
                .setParameter(1, hash(token)).setParameter(2, tunnelId).setParameter(3, side.value())
                .setParameter(4, expiresAt).executeUpdate();
        return token;
    }

    /** Uses the token up if it is this tunnel's, for this side, unused and unexpired; in the caller's transaction. */
    public boolean redeem(String tunnelId, Side side, String token, Instant now) {
        return entityManager.createNativeQuery("update tunnel_token set used_at = ?1 where hash = ?2"
                + " and tunnel_id = ?3 and side = ?4 and used_at is null and expires_at > ?1")
                .setParameter(1, now).setParameter(2, hash(token)).setParameter(3, tunnelId)
                .setParameter(4, side.value()).executeUpdate() == 1;
    }

    private static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
