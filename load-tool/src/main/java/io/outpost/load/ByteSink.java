package io.outpost.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The device's local service in the tunnel benchmark ({@link TunnelLoad}): a TCP server on 127.0.0.1 that greets every
 * connection with one byte, {@link #BANNER}, so that the other end can time the first byte from the device's side, and
 * then reads and counts whatever arrives until the connection ends. One thread per connection.
 */
final class ByteSink implements AutoCloseable {
    static final int BANNER = 'S';
    private static final int READ_BUFFER = 64 * 1024;

    private final ServerSocket server;
    private final AtomicLong received = new AtomicLong();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Expectation> expected = new AtomicReference<>();

    /** A total the counter should reach, and when it did ({@link System#nanoTime()}). */
    private record Expectation(long total, CompletableFuture<Long> reachedAt) {
    }

    ByteSink() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        daemon(this::accept, "byte-sink-accept").start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Bytes read from all connections so far. */
    long received() {
        return received.get();
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    /**
     * Completes with the {@link System#nanoTime()} at which the sink has read {@code bytes} more than it had when this
     * was called. One expectation at a time: a new one replaces the last.
     */
    CompletableFuture<Long> expect(long bytes) {
        Expectation expectation = new Expectation(received.get() + bytes, new CompletableFuture<>());
        expected.set(expectation);
        check(received.get());
        return expectation.reachedAt();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                open.add(socket);
                daemon(() -> serve(socket), "byte-sink-" + socket.getPort()).start();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("byte sink: accept failed: " + e.getMessage());
                }
            }
        }
    }

    private void serve(Socket socket) {
        byte[] buffer = new byte[READ_BUFFER];
        try (socket) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            out.write(BANNER);
            out.flush();
            InputStream in = socket.getInputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                check(received.addAndGet(n));
            }
        } catch (IOException e) {
            // The other end went away without a FIN (a tunnel dropped, or the sink closing): nothing more to count.
        } finally {
            open.remove(socket);
        }
    }

    private void check(long total) {
        Expectation expectation = expected.get();
        if (expectation != null && total >= expectation.total()) {
            expectation.reachedAt().complete(System.nanoTime());
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
