package io.outpost.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Both sides of a tunnel for real: the operator's {@link RemoteAccessClient} and {@link TunnelPipe}, the device's
 * {@link RemoteAccessAgent} with a local echo service, through a {@link TestRelay} over real WebSockets and sockets.
 */
class TunnelRoundTripTest {
    private final EchoServer sshd;
    private final FakeRemoteAccessService service;
    private final RemoteAccessClient operator;

    TunnelRoundTripTest() throws Exception {
        sshd = new EchoServer();
        service = new FakeRemoteAccessService(Set.of(sshd.port()), Set.of(sshd.port(), 2222));
        operator = new RemoteAccessClient(service.api(), FakeRemoteAccessService.OIDC_TOKEN);
    }

    @AfterEach
    void stop() throws IOException {
        service.close();
        sshd.close();
    }

    @Test
    void bytesFlowBothWaysInOrderUntilTheOperatorsConnectionEnds() throws Exception {
        try (SocketPair pair = new SocketPair()) {
            RemoteAccessClient.Tunnel tunnel = operator.openTunnel("acme", "scanner-7", sshd.port(),
                    Duration.ofMinutes(5));
            TunnelPipe pipe = operator.connect(tunnel, pair.tunnelled).get(10, TimeUnit.SECONDS);
            byte[] sent = new byte[512 * 1024];
            new Random(7).nextBytes(sent);

            // Written on another thread: with back-pressure both ways, writing all before reading would stall.
            CompletableFuture<Void> written = CompletableFuture.runAsync(() -> write(pair.user, sent));
            byte[] echoed = new byte[sent.length];
            pair.user.setSoTimeout(10_000);
            new DataInputStream(pair.user.getInputStream()).readFully(echoed);
            written.get(10, TimeUnit.SECONDS);
            pair.user.shutdownOutput();

            assertArrayEquals(sent, echoed);
            assertEquals(-1, pair.user.getInputStream().read(), "closed once the relay answered the close");
            TunnelPipe.Closed closed = pipe.closed().get(10, TimeUnit.SECONDS);
            assertEquals(new TunnelPipe.Closed(1000, "", sent.length, sent.length), closed);
            assertEquals(1000, service.relay().closeFrom(tunnel.id(), TestRelay.OPERATOR).get(10, TimeUnit.SECONDS)
                    .code());
            assertEquals(sent.length, sshd.ended().poll(10, TimeUnit.SECONDS),
                    "the device's local connection is closed too");
            assertEquals("{\"port\":" + sshd.port() + ",\"maxDuration\":\"PT5M\"}", service.requestBodies().get(0));
        }
    }

    @Test
    void theDevicesRefusalReachesTheOperatorWithItsCodeAndReason() throws Exception {
        try (SocketPair pair = new SocketPair()) {
            RemoteAccessClient.Tunnel tunnel = operator.openTunnel("acme", "scanner-7", 2222, null);
            TunnelPipe pipe = operator.connect(tunnel, pair.tunnelled).get(10, TimeUnit.SECONDS);

            TunnelPipe.Closed closed = pipe.closed().get(10, TimeUnit.SECONDS);

            assertEquals(new TunnelPipe.Closed(4403, "port 2222 is not allowed on the device", 0, 0), closed);
            assertEquals("4403 (refused by the device): port 2222 is not allowed on the device; 0 bytes sent, "
                    + "0 bytes received", closed.summary());
            pair.user.setSoTimeout(10_000);
            assertEquals(-1, pair.user.getInputStream().read());
        }
    }

    @Test
    void theRelayEndingATunnelClosesBothConnections() throws Exception {
        try (SocketPair pair = new SocketPair()) {
            RemoteAccessClient.Tunnel tunnel = operator.openTunnel("acme", "scanner-7", sshd.port(), null);
            TunnelPipe pipe = operator.connect(tunnel, pair.tunnelled).get(10, TimeUnit.SECONDS);
            pair.user.getOutputStream().write("ping".getBytes());
            pair.user.setSoTimeout(10_000);
            assertEquals("ping", new String(pair.user.getInputStream().readNBytes(4)));

            service.relay().end(tunnel.id(), 4411, "maximum duration passed");

            assertEquals(new TunnelPipe.Closed(4411, "maximum duration passed", 4, 4),
                    pipe.closed().get(10, TimeUnit.SECONDS));
            assertEquals(-1, pair.user.getInputStream().read());
            assertEquals(4L, sshd.ended().poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aTunnelThePolicyRefusesFailsWithTheProblemsTitleAndDetail() {
        TunnelRefusedException refused = assertThrows(TunnelRefusedException.class,
                () -> operator.openTunnel("acme", "scanner-7", 23, null));

        assertEquals(403, refused.status());
        assertEquals("Remote access not allowed", refused.title());
        assertEquals("port 23 is not allowed for scanner-7", refused.detail());
    }

    @Test
    void aTokenTheRelayDoesNotKnowGetsNoWebSocketAndTheConnectionIsClosed() throws Exception {
        try (SocketPair pair = new SocketPair()) {
            RemoteAccessClient.Tunnel real = operator.openTunnel("acme", "scanner-7", sshd.port(), null);
            RemoteAccessClient.Tunnel forged = new RemoteAccessClient.Tunnel(real.id(), real.operatorUrl(), "forged",
                    null);

            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> operator.connect(forged, pair.tunnelled).get(10, TimeUnit.SECONDS));

            assertEquals(401, assertInstanceOf(RelayHandshakeException.class, failed.getCause())
                    .statusCode());
            assertTrue(pair.tunnelled.isClosed());
        }
    }

    @Test
    void theTextOfAnOpenedTunnelLeavesTheTokenOut() throws Exception {
        RemoteAccessClient.Tunnel tunnel = operator.openTunnel("acme", "scanner-7", sshd.port(), null);

        assertTrue(service.tokens().contains(tunnel.operatorToken()));
        assertFalse(tunnel.toString().contains(tunnel.operatorToken()), tunnel.toString());
    }

    private static void write(Socket socket, byte[] bytes) {
        try {
            OutputStream out = socket.getOutputStream();
            for (int offset = 0; offset < bytes.length; offset += 10_000) {
                out.write(bytes, offset, Math.min(10_000, bytes.length - offset));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TCP connection on 127.0.0.1: the operator's program ({@code user}) and the end the tunnel pipes. */
    private static final class SocketPair implements AutoCloseable {
        final Socket user;
        final Socket tunnelled;

        SocketPair() throws IOException {
            try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                user = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                tunnelled = listener.accept();
            }
        }

        @Override
        public void close() throws IOException {
            user.close();
            tunnelled.close();
        }
    }

}
