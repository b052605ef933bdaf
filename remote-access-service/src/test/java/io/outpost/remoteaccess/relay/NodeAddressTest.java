package io.outpost.remoteaccess.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class NodeAddressTest {

    @Test
    void configuredUrlIsTakenAsGiven() {
        NodeAddress address = new NodeAddress(Optional.of("http://relay-1.internal:8087"), 9999);

        assertEquals("http://relay-1.internal:8087", address.url());
    }

    @Test
    void withoutConfiguredUrlTheNodeIsReachedAtItsHostAddressAndHttpPort() throws Exception {
        String expected = "http://" + InetAddress.getLocalHost().getHostAddress() + ":8087";

        assertEquals(expected, new NodeAddress(Optional.empty(), 8087).url());
    }
}
