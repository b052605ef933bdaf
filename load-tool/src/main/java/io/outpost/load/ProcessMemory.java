package io.outpost.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Another process's resident memory ({@code VmRSS} in {@code /proc/<pid>/status}), sampled every second from the
 * start until closed: first, highest and last sample. Without a pid, or where it cannot be read, every figure is null.
 */
final class ProcessMemory implements AutoCloseable {
    private final long pid;
    private final AtomicLong first = new AtomicLong(-1);
    private final AtomicLong max = new AtomicLong(-1);
    private final AtomicLong last = new AtomicLong(-1);
    private final Thread sampler;

    ProcessMemory(long pid) {
        this.pid = pid;
        sampler = new Thread(this::sampleEverySecond, "rss-sampler");
        sampler.setDaemon(true);
        if (pid > 0) {
            sample();
            sampler.start();
        }
    }

    /** The resident set in bytes now; -1 if it cannot be read. */
    long sample() {
        long bytes = rssBytes(pid);
        if (bytes >= 0) {
            first.compareAndSet(-1, bytes);
            max.accumulateAndGet(bytes, Math::max);
            last.set(bytes);
        }
        return bytes;
    }

    private void sampleEverySecond() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(1000);
                sample();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code "rssFirstMb":..,"rssMaxMb":..,"rssLastMb":..} (MiB), null where nothing was read. */
    String json() {
        return String.format(Locale.ROOT, "\"servicePid\":%d,\"rssFirstMb\":%s,\"rssMaxMb\":%s,\"rssLastMb\":%s", pid,
                mib(first.get()), mib(max.get()), mib(last.get()));
    }

    static String mib(long bytes) {
        return bytes < 0 ? "null" : String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }

    /** VmRSS of {@code pid} in bytes; -1 if there is no such process or it cannot be read. */
    static long rssBytes(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() {
        sample();
        sampler.interrupt();
    }
}
