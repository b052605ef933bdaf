package io.outpost.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Waits until the machine is idle again (more than 80 % of CPU time idle for 3 seconds in a row, read from
 * {@code /proc/stat}), so that a measurement does not pay for the backlog of what came before it. The same rule as
 * {@code settle} in bench/lib.sh.
 */
final class MachineIdle {
    private static final Path STAT = Path.of("/proc/stat");

    private MachineIdle() {
    }

    /** Returns the seconds waited; gives up after {@code maxSeconds}. Returns at once where /proc/stat is missing. */
    static double await(int maxSeconds) throws InterruptedException {
        long start = System.nanoTime();
        if (!Files.isReadable(STAT)) {
            return 0;
        }
        int idleSeconds = 0;
        long[] before = cpu();
        while (idleSeconds < 3 && System.nanoTime() - start < maxSeconds * 1_000_000_000L) {
            Thread.sleep(1000);
            long[] after = cpu();
            long total = after[1] - before[1];
            idleSeconds = total > 0 && (after[0] - before[0]) / (double) total > 0.8 ? idleSeconds + 1 : 0;
            before = after;
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Idle (idle + iowait) and total jiffies of all CPUs. */
    private static long[] cpu() {
        try {
            String[] fields = Files.readAllLines(STAT).get(0).trim().split("\\s+");
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            long total = 0;
            for (int i = 1; i <= 7; i++) {
                total += Long.parseLong(fields[i]);
            }
            return new long[] {idle, total};
        } catch (IOException e) {
            return new long[] {0, 0};
        }
    }
}
