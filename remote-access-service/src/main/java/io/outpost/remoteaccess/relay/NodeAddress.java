package io.outpost.remoteaccess.relay;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.outpost.remoteaccess.config.RemoteAccessConfig;

/**
 * This relay node's own base URL, by which the other nodes reach it: {@code node-url} when set, else
 * {@code http://<this host's address>:<HTTP port>} (on Kubernetes the pod's IP, which its host name resolves to).
 */
@ApplicationScoped
public class NodeAddress {
    private final String url;

    @Inject
    NodeAddress(RemoteAccessConfig config, @ConfigProperty(name = "quarkus.http.port") int httpPort) {
        this(config.nodeUrl(), httpPort);
    }

    NodeAddress(Optional<String> configured, int httpPort) {
        this.url = configured.orElseGet(() -> "http://" + hostAddress() + ":" + httpPort);
    }

    public String url() {
        return url;
    }

    private static String hostAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("this host's address is unknown; set outpost.remote-access.node-url", e);
        }
    }
}
