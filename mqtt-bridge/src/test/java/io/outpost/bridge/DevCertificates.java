package io.outpost.bridge;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.TrustManagerFactory;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Turns the bridge's TLS listeners on with a CA and server certificate made by the local platform's own script
 * ({@code deploy/local/dev-ca.sh}), so the test also proves the script's output works.
 */
public class DevCertificates implements QuarkusTestResourceLifecycleManager {
    static final Path DIRECTORY = Path.of("target", "tls").toAbsolutePath();

    @Override
    public Map<String, String> start() {
        Path script = Path.of("..", "deploy", "local", "dev-ca.sh").toAbsolutePath().normalize();
        try {
            Process process = new ProcessBuilder("bash", script.toString(), DIRECTORY.toString()).inheritIO().start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(script + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return Map.of("outpost.bridge.tls.certificate", DIRECTORY.resolve("server.crt").toString(),
                "outpost.bridge.tls.key", DIRECTORY.resolve("server.key").toString(),
                "outpost.bridge.tls.port", "0",
                "outpost.bridge.tls.websocket-port", "0");
    }

    @Override
    public void stop() {
    }

    /** Trusts exactly the development CA, as a device given {@code ca.crt} would. */
    static TrustManagerFactory trustDevCa() throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream ca = new FileInputStream(DIRECTORY.resolve("ca.crt").toFile())) {
            trusted.setCertificateEntry("outpost-dev-ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        return factory;
    }
}
