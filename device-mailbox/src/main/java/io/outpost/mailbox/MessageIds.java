package io.outpost.mailbox;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Message ids: UUID version 7 (RFC 9562), a millisecond timestamp followed by randomness, so ids of one device sort
 * roughly by creation and index inserts stay local, while remaining unguessable enough (74 random bits).
 */
public final class MessageIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private MessageIds() {
    }

    public static String next() {
        return next(System.currentTimeMillis());
    }

    static String next(long epochMillis) {
        long high = (epochMillis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0fffL);
        long low = (RANDOM.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
