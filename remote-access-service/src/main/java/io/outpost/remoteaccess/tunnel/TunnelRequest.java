package io.outpost.remoteaccess.tunnel;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of a POST that opens a tunnel. */
@Schema(description = "A tunnel to one port of the device")
public record TunnelRequest(
        @Schema(description = "The port on the device's side, allowed by its policy", required = true,
                examples = "22") Integer port,
        @Schema(description = "How long it may stay open: ISO-8601 or short (90s, 10m, 2h); default 1h, at most 8h",
                examples = "PT1H") String maxDuration) {
}
