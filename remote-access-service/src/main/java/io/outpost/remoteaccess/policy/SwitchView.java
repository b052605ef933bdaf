package io.outpost.remoteaccess.policy;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A switch as set. */
@Schema(description = "A remote-access switch as set")
public record SwitchView(
        @Schema(description = "fleet, group or device") String scope,
        @Schema(description = "The group's or device's id; absent for the fleet") String target,
        boolean enabled,
        Instant until,
        List<Integer> ports,
        String reason,
        @Schema(description = "Who set it") String setBy,
        Instant setAt,
        @Schema(description = "Whether it is on now: enabled and its end time not passed") boolean activeNow) {

    public static SwitchView of(AccessSwitch set, Instant now) {
        return new SwitchView(set.scope.value(), set.target, set.enabled, set.until, List.copyOf(set.ports),
                set.reason, set.setBy, set.setAt, set.onAt(now));
    }
}
