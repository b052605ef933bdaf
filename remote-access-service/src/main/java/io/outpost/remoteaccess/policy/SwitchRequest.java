package io.outpost.remoteaccess.policy;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of a PUT on a switch. */
@Schema(description = "A remote-access switch: on until an end time for some ports, or off")
public record SwitchRequest(
        @Schema(description = "On or off", required = true) Boolean enabled,
        @Schema(description = "When it switches itself off; required when enabling, at most 7 days ahead",
                examples = "2026-12-01T18:00:00Z") Instant until,
        @Schema(description = "Ports of the device that tunnels may reach; required when enabling",
                examples = "[22]") List<Integer> ports,
        @Schema(description = "Why (kept in the audit)", required = true,
                examples = "ticket 4711: logs of the scanner") String reason) {
}
