package io.outpost.systemtest.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.outpost.device.OutpostDevice;

/**
 * Remote access as operators and device makers use it: a real sshd behind a device-sdk agent connected to bridge
 * node 1, the real ssh and scp clients through {@code bin/outpost-tunnel}, whose tunnels' device sides land on relay
 * node 1 and operator sides on relay node 2; the policy switched off mid-session; the agent's own refusals.
 */
@ExtendWith(LocalPlatform.class)
class RemoteAccessPlatformTest {
    private static LocalSshd sshd;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private TenantApi acme;
    private String device;
    private OutpostDevice agent;

    @BeforeAll
    static void startSshd() throws Exception {
        sshd = LocalSshd.start();
    }

    @AfterAll
    static void stopSshd() throws Exception {
        sshd.close();
    }

    @AfterEach
    void closeWhatWasOpened() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    @Test
    void sshAndScpThroughATunnelAcrossRelayNodesAndSwitchingOffCutsTheSession() throws Exception {
        deviceWithAgent(sshd.port());
        switchDevice("{\"enabled\":true,\"until\":\"" + Instant.now().plusSeconds(3600) + "\",\"ports\":["
                + sshd.port() + "],\"reason\":\"platform test: ssh into the device\"}");
        int local = LocalSshd.freePort();
        tunnelCommand(local);

        String hello = LocalSshd.output(sshd.ssh(local, "echo hello from the device"), Duration.ofSeconds(30));
        assertEquals("hello from the device", hello.strip());
        Path file = Files.createTempFile("outpost-scp", ".bin");
        byte[] content = new byte[2_000_000];
        new Random(11).nextBytes(content);
        Files.write(file, content);
        Path copy = sshd.home().resolve("copied.bin");
        LocalSshd.output(sshd.scp(local, file, copy), Duration.ofSeconds(60));
        assertTrue(java.util.Arrays.equals(content, Files.readAllBytes(copy)), "scp copied the file intact");

        Process session = sshd.ssh(local, "echo started; sleep 120").start();
        opened.add(session::destroyForcibly);
        assertEquals("started", new java.io.BufferedReader(new java.io.InputStreamReader(session.getInputStream()))
                .readLine());
        assertEquals(200, acme.put(LocalPlatform.RELAY_1, "/devices/" + device + "/remote-access",
                "{\"enabled\":false,\"reason\":\"platform test: done\"}").status());
        long switchedOff = System.nanoTime();
        assertTrue(session.waitFor(5, TimeUnit.SECONDS), "the ssh session ended");
        long cutAfterMillis = (System.nanoTime() - switchedOff) / 1_000_000;
        System.out.println("ssh session cut " + cutAfterMillis + " ms after the switch went off");
        assertTrue(cutAfterMillis < 1000, "cut after " + cutAfterMillis + " ms");

        TenantApi.Answer closed = acme.poll(LocalPlatform.RELAY_2, "/remote-access/audit?device=" + device
                + "&type=TUNNEL_CLOSED", answer -> answer.body().path("items").size() == 3, Duration.ofSeconds(10));
        assertEquals(3, closed.body().path("items").size(), "ssh, scp and the session: " + closed.body());
        assertEquals(4409, closed.body().path("items").get(0).path("tunnel").path("closeCode").asInt(),
                closed.body().toString());
        assertTrue(closed.body().path("items").get(1).path("tunnel").path("bytesToDevice").asLong() > content.length,
                "the scp tunnel's bytes were counted: " + closed.body());
    }

    @Test
    void aRelayNodeThatCrashesEndsItsTunnelsAndTheRecordsSayWhy() throws Exception {
        deviceWithAgent(sshd.port());
        switchDevice("{\"enabled\":true,\"until\":\"" + Instant.now().plusSeconds(3600) + "\",\"ports\":["
                + sshd.port() + "],\"reason\":\"platform test: a relay node crashes\"}");
        int local = LocalSshd.freePort();
        tunnelCommand(local);
        Process session = sshd.ssh(local, "echo started; sleep 120").start();
        opened.add(session::destroyForcibly);
        assertEquals("started", new java.io.BufferedReader(new java.io.InputStreamReader(session.getInputStream()))
                .readLine());

        LocalPlatform.kill("remote-access-service-2");
        opened.add(LocalPlatform::up);
        assertTrue(session.waitFor(10, TimeUnit.SECONDS), "the ssh session ended with the operator's relay node");
        TenantApi.Answer tunnels = acme.poll(LocalPlatform.RELAY_1, "/devices/" + device + "/tunnels",
                answer -> "CLOSED".equals(answer.body().path("items").path(0).path("state").asText()),
                Duration.ofSeconds(10));
        assertEquals(4500, tunnels.body().path("items").path(0).path("closeCode").asInt(), tunnels.body().toString());
    }

    @Test
    void theAgentRefusesPortsItDoesNotAllowAndEverythingWhenItsKillSwitchIsOn() throws Exception {
        deviceWithAgent(sshd.port());
        int other = LocalSshd.freePort();
        switchDevice("{\"enabled\":true,\"until\":\"" + Instant.now().plusSeconds(3600) + "\",\"ports\":["
                + sshd.port() + "," + other + "],\"reason\":\"platform test: refusals\"}");

        assertEquals(4403, operatorSideClosedWith(other), "a port the agent does not allow");
        agent.setRemoteAccessKillSwitch(true);
        assertEquals(4403, operatorSideClosedWith(sshd.port()), "the kill switch");
        assertEquals(403, acme.post(LocalPlatform.RELAY_1, "/devices/" + device + "/tunnels",
                "{\"port\":" + (other + 1) + "}").status(), "a port the policy does not allow");
    }

    private void deviceWithAgent(int allowedPort) throws Exception {
        acme = TenantApi.of("acme");
        device = "ra-" + Long.toHexString(System.nanoTime());
        String secret = acme.createDevice(device);
        agent = SdkDevices.builder(device, secret).endpoint("127.0.0.1", LocalPlatform.NODE_1_MQTT)
                .allowRemoteAccess(allowedPort).build();
        opened.add(agent);
        SdkDevices.connect(agent);
    }

    /** PUTs the device's switch, trying again while the service has not yet learnt of the new device (404). */
    private void switchDevice(String body) throws Exception {
        String path = "/devices/" + device + "/remote-access";
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        TenantApi.Answer answer = acme.put(LocalPlatform.RELAY_1, path, body);
        while (answer.status() == 404 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            answer = acme.put(LocalPlatform.RELAY_1, path, body);
        }
        assertEquals(200, answer.status(), answer.toString());
    }

    /** bin/outpost-tunnel asking relay node 1's API, its WebSockets to relay node 2; ready once it listens. */
    private void tunnelCommand(int local) throws Exception {
        ProcessBuilder command = new ProcessBuilder(LocalPlatform.ROOT.resolve("bin/outpost-tunnel").toString(),
                "--api", "http://127.0.0.1:" + LocalPlatform.RELAY_1, "--relay", "ws://127.0.0.1:" + LocalPlatform.RELAY_2,
                "--tenant", "acme", "--device", device, "--port", Integer.toString(sshd.port()),
                "--local", Integer.toString(local)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(
                        LocalPlatform.ROOT.resolve("system-tests/target/outpost-tunnel.log").toFile()));
        command.environment().put("OUTPOST_TOKEN", acme.token());
        Path log = LocalPlatform.ROOT.resolve("system-tests/target/outpost-tunnel.log");
        Process tunnel = command.start();
        opened.add(tunnel::destroy);
        // Its "listening on" line, not a probe connection: every connection accepted there opens a tunnel.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains("listening on 127.0.0.1:" + local)) {
                return;
            }
            assertTrue(tunnel.isAlive(), "outpost-tunnel exited; see " + log);
            Thread.sleep(100);
        }
        throw new AssertionError("outpost-tunnel did not listen within 60 s");
    }

    /** Opens a tunnel to the port over REST and connects its operator side; the close code the relay ends it with. */
    private int operatorSideClosedWith(int port) throws Exception {
        TenantApi.Answer opened = acme.post(LocalPlatform.RELAY_1, "/devices/" + device + "/tunnels",
                "{\"port\":" + port + "}");
        assertEquals(201, opened.status(), opened.toString());
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + opened.text("operatorToken"))
                .buildAsync(URI.create(opened.text("operatorUrl")), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
                        closed.complete(code);
                        return null;
                    }
                }).join();
        return closed.get(20, TimeUnit.SECONDS);
    }
}
