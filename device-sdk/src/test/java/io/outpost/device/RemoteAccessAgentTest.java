package io.outpost.device;

import static io.outpost.device.RemoteAccessAgent.Decision.Action.IGNORE;
import static io.outpost.device.RemoteAccessAgent.Decision.Action.OPEN;
import static io.outpost.device.RemoteAccessAgent.Decision.Action.REFUSE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RemoteAccessAgentTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private final TestRelay relay;
    private RemoteAccessAgent agent;

    RemoteAccessAgentTest() throws InterruptedException {
        relay = new TestRelay();
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        relay.close();
    }

    @Test
    void anAllowedPortIsOpenedUntilTheTokenExpires() {
        RemoteAccessAgent agent = agent(Set.of(22, 2222), false);

        assertEquals(OPEN, agent.decide(request(22, NOW.plusSeconds(30)), NOW).action());
        assertEquals(OPEN, agent.decide(request(2222, NOW.plusMillis(1)), NOW).action());
        assertEquals(IGNORE, agent.decide(request(22, NOW), NOW).action());
        assertEquals(IGNORE, agent.decide(request(22, NOW.minusSeconds(1)), NOW).action());
    }

    @Test
    void aPortNotAllowedIsRefusedNamingThePort() {
        RemoteAccessAgent agent = agent(Set.of(22), false);

        RemoteAccessAgent.Decision decision = agent.decide(request(23, NOW.plusSeconds(30)), NOW);

        assertEquals(REFUSE, decision.action());
        assertEquals("port 23 is not allowed on the device", decision.reason());
    }

    @Test
    void theKillSwitchRefusesEveryPortWhateverTheCloudSaysAndCanBeSwitchedOffAgain() {
        RemoteAccessAgent agent = agent(Set.of(22), true);

        assertEquals(new RemoteAccessAgent.Decision(REFUSE, "remote access is switched off on the device"),
                agent.decide(request(22, NOW.plusSeconds(30)), NOW));
        assertEquals(REFUSE, agent.decide(request(23, NOW.plusSeconds(30)), NOW).action());
        assertEquals(IGNORE, agent.decide(request(22, NOW.minusSeconds(1)), NOW).action(), "expired: not even refused");

        agent.killSwitch(false);

        assertEquals(OPEN, agent.decide(request(22, NOW.plusSeconds(30)), NOW).action());
    }

    @Test
    void withTheKillSwitchOnTheDeviceClosesTheWebSocketWith4403AndTheReason() throws Exception {
        agent = agent(Set.of(22), true);

        agent.receive(message("tun_1", 22, "t1"));

        assertEquals(new TestRelay.Close(4403, "remote access is switched off on the device"),
                await(relay.closeFrom("tun_1", TestRelay.DEVICE)));
    }

    @Test
    void aPortNotAllowedIsRefusedOnTheWebSocketWith4403() throws Exception {
        agent = agent(Set.of(22), false);

        agent.receive(message("tun_1", 23, "t1"));

        assertEquals(new TestRelay.Close(4403, "port 23 is not allowed on the device"),
                await(relay.closeFrom("tun_1", TestRelay.DEVICE)));
    }

    @Test
    void aPortWhereNothingListensIsReportedWith4502() throws Exception {
        int unused;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            unused = free.getLocalPort();
        }
        agent = agent(Set.of(unused), false);

        agent.receive(message("tun_1", unused, "t1"));

        assertEquals(4502, await(relay.closeFrom("tun_1", TestRelay.DEVICE)).code());
    }

    @Test
    void switchingTheKillSwitchOnClosesAnOpenTunnelWith4403() throws Exception {
        try (ServerSocket sshd = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            agent = agent(Set.of(sshd.getLocalPort()), false);
            agent.receive(message("tun_1", sshd.getLocalPort(), "t1"));
            try (Socket local = sshd.accept()) {
                await(relay.connected("tun_1", TestRelay.DEVICE));

                agent.killSwitch(true);

                assertEquals(new TestRelay.Close(4403, "remote access is switched off on the device"),
                        await(relay.closeFrom("tun_1", TestRelay.DEVICE)));
                assertEquals(-1, readWithin(local), "the local connection is closed when the relay answers");
            }
        }
    }

    @Test
    void closingTheAgentClosesItsOpenTunnelsWith1000() throws Exception {
        try (ServerSocket sshd = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            agent = agent(Set.of(sshd.getLocalPort()), false);
            agent.receive(message("tun_1", sshd.getLocalPort(), "t1"));
            try (Socket local = sshd.accept()) {
                await(relay.connected("tun_1", TestRelay.DEVICE));

                agent.close();

                assertEquals(new TestRelay.Close(1000, "the device is shutting down"),
                        await(relay.closeFrom("tun_1", TestRelay.DEVICE)));
                assertEquals(-1, readWithin(local));
            }
        }
    }

    private RemoteAccessAgent agent(Set<Integer> ports, boolean killSwitch) {
        return new RemoteAccessAgent("scanner-7", ports, killSwitch, null, Clock.systemUTC());
    }

    private static TunnelRequest request(int port, Instant expiresAt) {
        return new TunnelRequest("tun_1", port, URI.create("ws://127.0.0.1:1/relay"), "token", expiresAt);
    }

    /** What the platform publishes, pointing at the test relay, which accepts {@code token} once. */
    private byte[] message(String tunnel, int port, String token) {
        relay.expect(tunnel, TestRelay.DEVICE, token);
        return TunnelRequestTest.message(tunnel, String.valueOf(port), relay.url(tunnel, TestRelay.DEVICE).toString(),
                token, Instant.now().plus(Duration.ofSeconds(30)).toString()).getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    private static int readWithin(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        return in.read();
    }
}
