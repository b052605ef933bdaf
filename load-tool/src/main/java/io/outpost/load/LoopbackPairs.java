package io.outpost.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Connected pairs of loopback sockets, made one after the other: the tool writes into and reads from the near end, the
 * operator's {@link io.outpost.device.TunnelPipe} pipes the far end through the relay, as {@code bin/outpost-tunnel}
 * does with the connection an ssh client made to it.
 */
final class LoopbackPairs implements AutoCloseable {
    private final ServerSocket server;

    /** The tool's end and the pipe's end of one connection. */
    record Pair(Socket near, Socket far) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try (far) {
                near.close();
            }
        }
    }

    LoopbackPairs() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    }

    /** A new pair; not thread-safe (the accept must return the connection just made, which it checks). */
    Pair open() throws IOException {
        Socket near = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket far = server.accept();
        if (far.getPort() != near.getLocalPort()) {
            near.close();
            far.close();
            throw new IOException("a stranger connected to the pairs' port " + server.getLocalPort());
        }
        near.setTcpNoDelay(true);
        return new Pair(near, far);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
