package io.outpost.contracts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;

/**
 * What {@link SecretHash#algorithm()} {@value #SHA256_SALTED_V1} means, byte for byte: SHA-256 over the salt followed
 * by the secret's UTF-8 bytes. The registry writes such hashes and the bridge checks secrets against them, so the
 * scheme is part of the contract and lives here, once (JDK code only, no dependency).
 * <p>
 * One salted SHA-256, not bcrypt or PBKDF2: those slow hashes protect low-entropy human passwords, while a generated
 * device secret has 256 bits of entropy (supplied ones must be long), so brute force is out of reach anyway, and the
 * bridge must verify thousands of reconnecting devices per second in microseconds each.
 */
public final class SecretHashScheme {
    public static final String SHA256_SALTED_V1 = "sha256-salted-v1";

    private SecretHashScheme() {
    }

    public static byte[] hash(byte[] salt, String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(salt);
            return digest.digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** True if the secret matches the hash, the scheme is known and the hash has not passed its end. */
    public static boolean matches(SecretHash hash, String secret, Instant now) {
        if (!SHA256_SALTED_V1.equals(hash.algorithm()) || (hash.notAfter() != null && !now.isBefore(hash.notAfter()))) {
            return false;
        }
        Base64.Decoder base64 = Base64.getDecoder();
        return MessageDigest.isEqual(base64.decode(hash.hash()), hash(base64.decode(hash.salt()), secret));
    }
}
