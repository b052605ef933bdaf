package io.outpost.remoteaccess.tunnel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import javax.sql.DataSource;

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
    @Inject
    DataSource dataSource;

    /** A new token: 256 random bits, URL-safe; worth nothing until {@link #storeAll stored}. */
    public static String newToken() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** A token made a side's, valid until {@code expiresAt}. */
    public record Issued(String tunnelId, Side side, String token, Instant expiresAt) {
    }

    /** Stores the tokens in one round trip, after the tunnels the caller persisted; in the caller's transaction. */
    public void storeAll(List<Issued> issued) {
        if (issued.isEmpty()) {
            return;
        }
        entityManager.flush();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("insert into tunnel_token"
                        + " (hash, tunnel_id, side, expires_at) values (?, ?, ?, ?)")) {
            for (Issued token : issued) {
                insert.setBytes(1, hash(token.token()));
                insert.setString(2, token.tunnelId());
                insert.setString(3, token.side().value());
                insert.setTimestamp(4, Timestamp.from(token.expiresAt()));
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("storing " + issued.size() + " tunnel tokens failed", e);
        }
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
