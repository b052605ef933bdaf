package io.outpost.contracts;

import java.time.Instant;

/**
 * One active device secret, as the registry publishes it: never the secret itself.
 *
 * @param id        credential id, so a rotation can tell its two secrets apart
 * @param algorithm hash scheme, e.g. {@code sha256-salted}
 * @param salt      base64 salt
 * @param hash      base64 hash of salt and secret
 * @param notAfter  when the secret stops being accepted, or null for never
 */
public record SecretHash(String id, String algorithm, String salt, String hash, Instant notAfter) {
}
