package io.outpost.rest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** The {@code Idempotency-Key} request header: a retried POST with the same key returns what the first one created. */
public final class IdempotencyKeys {
    public static final String HEADER = "Idempotency-Key";
    /** Response header on a POST answered with what an earlier one with the same key created. */
    public static final String REPLAYED = "Idempotent-Replayed";
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private IdempotencyKeys() {
    }

    /** The header's value if it is a valid key, null if there is none; 400 otherwise. */
    public static String read(String header) {
        if (header == null) {
            return null;
        }
        if (!KEY.matcher(header).matches()) {
            throw ProblemException.invalid(HEADER, "must be 1 to 255 visible ASCII characters");
        }
        return header;
    }

    /**
     * SHA-256 over a request (defaults applied), to tell a retry from another request under the same key: every part
     * is length-prefixed, so no two different requests collide. A null part counts as empty.
     */
    public static String fingerprint(byte[] payload, String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                update(sha, (part == null ? "" : part).getBytes(StandardCharsets.UTF_8));
            }
            update(sha, payload);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest sha, byte[] bytes) {
        sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }
}
