package io.outpost.remoteaccess.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The remote-access service's own settings, under {@code outpost.remote-access}. */
@ConfigMapping(prefix = "outpost.remote-access")
public interface RemoteAccessConfig {

    /** Name of the access-token claim that lists the tenants the caller may act for. */
    @WithDefault("tenants")
    String tenantsClaim();

    /** Base URL (ws:// or wss://) by which devices and operators reach the relay; tunnel URLs are built on it. */
    String relayUrl();

    /**
     * This node's own base URL (http://), by which the other relay nodes reach it to splice a tunnel; unset, the
     * node's host address and HTTP port ({@code NodeAddress}).
     */
    Optional<String> nodeUrl();

    /** Shared by every relay node: presented when one node splices a tunnel side held by another. */
    String clusterSecret();

    /** Longest end time a switch may have, from now (the issue: at most 7 days). */
    @WithDefault("P7D")
    Duration maxSwitchDuration();

    /** How long a tunnel lasts when the request names no {@code maxDuration}. */
    @WithDefault("PT1H")
    Duration defaultTunnelDuration();

    /** Longest {@code maxDuration} a tunnel request may ask for. */
    @WithDefault("PT8H")
    Duration maxTunnelDuration();

    /** How long a side's single-use token works, and how long the device has to connect. */
    @WithDefault("PT30S")
    Duration tokenTtl();

    /** How often each node checks its open tunnels against their policy, end time and close requests. */
    @WithDefault("0.25s")
    Duration guardInterval();
}
