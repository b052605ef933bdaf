package io.outpost.systemtest;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for processes a test starts, each handed out once per JVM and taken below Linux's ephemeral range
 * (32768-60999): a port from {@code new ServerSocket(0)} was in that range, so an outgoing connection (a Kafka client)
 * could take it, or a second call return it again, before the child bound it (a bridge node failed with "Address
 * already in use").
 */
public final class FreePorts {
    private static final int FIRST = 20_000;
    private static final int LAST = 32_000;
    private static final AtomicInteger NEXT = new AtomicInteger(FIRST + ThreadLocalRandom.current().nextInt(8_000));

    private FreePorts() {
    }

    /** A port nothing listens on now, never handed out before by this JVM. */
    public static int next() {
        for (int tries = 0; tries < LAST - FIRST; tries++) {
            int port = NEXT.getAndUpdate(current -> current >= LAST ? FIRST : current + 1);
            try (ServerSocket probe = new ServerSocket(port)) {
                return port;
            } catch (IOException taken) {
                // try the next one
            }
        }
        throw new IllegalStateException("no free port from " + FIRST + " to " + LAST);
    }
}
