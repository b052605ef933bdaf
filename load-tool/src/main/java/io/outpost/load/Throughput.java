package io.outpost.load;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bytes written into a connection as fast as it takes them, in chunks of a fixed size, timed from the first write
 * until the {@link ByteSink} at the other end has read them all: a plain loopback connection to the sink, or the near
 * end of a tunnel whose device's side is connected to it. The writing runs on a thread of its own, so a connection that
 * stalls is closed when the time is up.
 */
final class Throughput {
    private final byte[] chunk;

    /** @param chunkBytes bytes per write; the content is pseudo-random, the same in every run */
    Throughput(int chunkBytes) {
        chunk = new byte[chunkBytes];
        new Random(16).nextBytes(chunk);
    }

    /** Seconds until the sink has read {@code bytes} more written into {@code socket}. */
    double send(Socket socket, ByteSink sink, long bytes, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        CompletableFuture<Long> read = sink.expect(bytes);
        CompletableFuture<Void> written = new CompletableFuture<>();
        long start = System.nanoTime();
        Thread writer = new Thread(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                for (long left = bytes; left > 0; left -= chunk.length) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, left));
                }
                out.flush();
                written.complete(null);
            } catch (IOException e) {
                written.completeExceptionally(e);
            }
        }, "throughput-writer");
        writer.setDaemon(true);
        writer.start();
        try {
            long end = written.thenCompose(done -> read).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return (end - start) / 1e9;
        } catch (ExecutionException e) {
            throw new IOException("writing failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            socket.close();
            throw new TimeoutException("the sink had not read " + bytes + " bytes within " + timeout.toSeconds()
                    + " s");
        }
    }

    /** Megabytes (10^6 bytes) per second. */
    static double megabytesPerSecond(long bytes, double seconds) {
        return seconds > 0 ? bytes / 1e6 / seconds : Double.NaN;
    }
}
