package io.outpost.registry.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Device secrets are hashed with one salted SHA-256, not bcrypt or PBKDF2: those slow hashes protect low-entropy
 * human passwords, while a generated device secret has 256 bits of entropy (supplied ones must be long, see
 * {@link #MIN_SUPPLIED_LENGTH}), so brute force is out of reach anyway, and the bridge must verify thousands of
 * reconnecting devices per second in microseconds each. The salt keeps equal secrets from having equal hashes.
 */
@ApplicationScoped
public class SecretHasher {
    public static final String ALGORITHM = "sha256-salted-v1";
    /** Supplied (factory-provisioned) secrets shorter than this are refused. */
    public static final int MIN_SUPPLIED_LENGTH = 16;
    public static final int MAX_SUPPLIED_LENGTH = 256;
    private static final int SALT_BYTES = 16;
    private static final int SECRET_BYTES = 32;

    private final SecureRandom random = new SecureRandom();

    /** A new secret: 32 random bytes, base64url without padding (43 characters). */
    public String generateSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public byte[] newSalt() {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return salt;
    }

    /** SHA-256 over salt followed by the secret's UTF-8 bytes. */
    public static byte[] hash(byte[] salt, String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(salt);
            return digest.digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public static boolean matches(byte[] salt, byte[] expectedHash, String secret) {
        return MessageDigest.isEqual(expectedHash, hash(salt, secret));
    }
}
