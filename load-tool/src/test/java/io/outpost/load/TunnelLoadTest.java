package io.outpost.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class TunnelLoadTest {
    @Test
    void theSinkGreetsEveryConnectionWithOneByteAndCountsWhatArrives() throws Exception {
        try (ByteSink sink = new ByteSink();
                Socket first = new Socket(InetAddress.getLoopbackAddress(), sink.port());
                Socket second = new Socket(InetAddress.getLoopbackAddress(), sink.port())) {
            // given a sink with two connections, each greeted
            assertEquals(ByteSink.BANNER, first.getInputStream().read());
            assertEquals(ByteSink.BANNER, second.getInputStream().read());
            // when 300 bytes are expected and 100 + 200 arrive over both
            CompletableFuture<Long> reached = sink.expect(300);
            first.getOutputStream().write(new byte[100]);
            assertFalse(reached.isDone(), "at most 100 of 300 bytes can have arrived");
            second.getOutputStream().write(new byte[200]);
            // then the expectation completes once the sink has read them all
            reached.get(5, TimeUnit.SECONDS);
            assertEquals(300, sink.received());
            assertEquals(2, sink.accepted());
        }
    }

    @Test
    void throughputIsTimedUntilTheSinkHasReadTheLastByte() throws Exception {
        try (ByteSink sink = new ByteSink();
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), sink.port())) {
            socket.getInputStream().read();
            // when 5 MB (not a whole number of 64 KiB chunks) are sent
            double seconds = new Throughput(64 * 1024).send(socket, sink, 5_000_000, Duration.ofSeconds(30));
            // then all of them, and no more, were read
            assertTrue(seconds > 0);
            assertEquals(5_000_000, sink.received());
            assertEquals(50.0, Throughput.megabytesPerSecond(5_000_000, 0.1), 1e-9);
        }
    }

    @Test
    void aLoopbackPairsEndsAreConnectedToEachOther() throws Exception {
        try (LoopbackPairs pairs = new LoopbackPairs(); LoopbackPairs.Pair pair = pairs.open()) {
            OutputStream near = pair.near().getOutputStream();
            near.write(7);
            assertEquals(7, pair.far().getInputStream().read());
            pair.far().getOutputStream().write(9);
            assertEquals(9, pair.near().getInputStream().read());
        }
    }

    @Test
    void tunnelOptionsNeedThePlatformAndHaveTheIssuesFiguresAsDefaults() {
        TunnelOptions options = TunnelOptions.parse(new String[] {"--api", "http://127.0.0.1:8087", "--token", "t",
                "--tenant", "acme", "--secret", "s", "--device-prefix", "tun-"});
        assertEquals(100, options.megabytes());
        assertEquals(100_000_000, options.bytes());
        assertEquals(100, options.tunnels());
        assertEquals(64 * 1024, options.chunkBytes());
        assertEquals("tun-3", options.device(3));
        assertThrows(IllegalArgumentException.class, () -> TunnelOptions.parse(new String[] {"--tenant", "acme"}));
        assertThrows(IllegalArgumentException.class, () -> TunnelOptions.parse(new String[] {"--api", "x", "--token",
                "t", "--tenant", "acme", "--secret", "s", "--tunnels", "0"}));
        assertThrows(IllegalArgumentException.class, () -> TunnelOptions.parse(new String[] {"--api", "x", "--token",
                "t", "--tenant", "acme", "--secret", "s", "--megabyte", "5"}));
    }
}
