package io.outpost.registry.rest;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Whether a device is connected, from the bridge's session events. */
@Schema(description = "Connection status; online false and nulls before the first session")
public record ConnectionView(
        boolean online,
        @Schema(description = "When the current state began") Instant since,
        Instant lastSeen,
        @Schema(description = "Bridge node of the current or last session") String node,
        String sessionId,
        String protocolVersion,
        String remoteAddress) {

    public static final ConnectionView NEVER_CONNECTED = new ConnectionView(false, null, null, null, null, null, null);
}
