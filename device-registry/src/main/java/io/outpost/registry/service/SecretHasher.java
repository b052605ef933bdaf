package io.outpost.registry.service;

import java.security.SecureRandom;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;

import io.outpost.contracts.SecretHashScheme;

/** Generates device secrets and salts; hashes them with {@link SecretHashScheme} (see there why one SHA-256). */
@ApplicationScoped
public class SecretHasher {
    public static final String ALGORITHM = SecretHashScheme.SHA256_SALTED_V1;
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

    /** The {@link SecretHashScheme#SHA256_SALTED_V1} hash of the secret. */
    public static byte[] hash(byte[] salt, String secret) {
        return SecretHashScheme.hash(salt, secret);
    }
}
