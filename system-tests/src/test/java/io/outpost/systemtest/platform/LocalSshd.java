package io.outpost.systemtest.platform;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.outpost.systemtest.FreePorts;

/**
 * A real OpenSSH server as "the service on the device": Debian's sshd run by the test's user on a free loopback port,
 * with a fresh host key and one authorized client key, and the real ssh and scp clients to reach it through a port.
 */
final class LocalSshd implements AutoCloseable {
    private final Path home;
    private final int port;
    private final Process sshd;

    private LocalSshd(Path home, int port, Process sshd) {
        this.home = home;
        this.port = port;
        this.sshd = sshd;
    }

    static LocalSshd start() throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("outpost-sshd");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", home.resolve("host_key").toString()));
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", home.resolve("client_key").toString()));
        Files.copy(home.resolve("client_key.pub"), home.resolve("authorized_keys"));
        if ("root".equals(System.getProperty("user.name"))) {
            Files.createDirectories(Path.of("/run/sshd"));
        }
        int port = freePort();
        Files.writeString(home.resolve("sshd_config"), String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + home.resolve("host_key"),
                "AuthorizedKeysFile " + home.resolve("authorized_keys"),
                "PidFile " + home.resolve("sshd.pid"),
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "StrictModes no",
                "UsePAM no",
                "Subsystem sftp internal-sftp",
                ""));
        Process sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", home.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(home.resolve("sshd.log").toFile()).start();
        LocalSshd started = new LocalSshd(home, port, sshd);
        started.awaitListening();
        return started;
    }

    int port() {
        return port;
    }

    Path home() {
        return home;
    }

    /** {@code ssh} to this server's user through {@code viaPort} on 127.0.0.1, running {@code command}. */
    ProcessBuilder ssh(int viaPort, String command) {
        List<String> ssh = new ArrayList<>(List.of("ssh", "-p", Integer.toString(viaPort)));
        ssh.addAll(clientOptions());
        ssh.addAll(List.of(System.getProperty("user.name") + "@127.0.0.1", command));
        return new ProcessBuilder(ssh).redirectErrorStream(true);
    }

    /** {@code scp} of a local file to a path on this server, through {@code viaPort}. */
    ProcessBuilder scp(int viaPort, Path file, Path remote) {
        List<String> scp = new ArrayList<>(List.of("scp", "-P", Integer.toString(viaPort)));
        scp.addAll(clientOptions());
        scp.addAll(List.of(file.toString(), System.getProperty("user.name") + "@127.0.0.1:" + remote));
        return new ProcessBuilder(scp).redirectErrorStream(true);
    }

    private List<String> clientOptions() {
        return List.of("-i", home.resolve("client_key").toString(), "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10",
                "-o", "LogLevel=ERROR");
    }

    /** Runs it to the end; returns its output, or fails with it if it exits non-zero. */
    static String output(ProcessBuilder command, Duration within) throws IOException, InterruptedException {
        Process process = command.start();
        process.getOutputStream().close();
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command.command() + " did not finish within " + within);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError(command.command() + " exited " + process.exitValue() + ": " + output);
        }
        return output;
    }

    @Override
    public void close() throws InterruptedException {
        sshd.destroy();
        sshd.waitFor(10, TimeUnit.SECONDS);
    }

    private void awaitListening() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!sshd.isAlive()) {
                    throw new IllegalStateException("sshd exited: " + Files.readString(home.resolve("sshd.log")));
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("sshd did not listen within 10 s: " + Files.readString(home.resolve("sshd.log")));
    }

    static int freePort() {
        return FreePorts.next();
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        output(new ProcessBuilder(command).redirectErrorStream(true), Duration.ofSeconds(30));
    }
}
