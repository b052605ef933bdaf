package io.outpost.remoteaccess.policy;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A device's effective policy, and the switch that decided it. */
@Schema(description = "What a device's switches add up to now, and which decided")
public record EffectivePolicyView(
        String device,
        boolean enabled,
        @Schema(description = "When it ends; absent when off") Instant until,
        List<Integer> ports,
        @Schema(description = "device, group, fleet, or default (no switch: off)") String decidedBy,
        @Schema(description = "The groups whose switches decided, when decidedBy is group") List<String> groups) {

    public static EffectivePolicyView of(String device, EffectivePolicy policy) {
        return new EffectivePolicyView(device, policy.enabled(), policy.until(),
                policy.ports().stream().sorted().toList(), policy.decidedBy(), policy.groups());
    }
}
