package io.outpost.remoteaccess.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a device's switches add up to at one instant, and which switch decided: the device's own switch if it has one
 * (an expired one decides "off"), else the groups' switches (on if any is on; the ports of those on, together; the end
 * time the latest of them), else the fleet's, else off.
 *
 * @param decidedBy    {@code device}, {@code group}, {@code fleet}, or {@code default} (no switch at all)
 * @param groups       the groups whose switches decided (on ones if any is on), for {@code group}
 * @param until        when it ends; null when off
 */
public record EffectivePolicy(boolean enabled, Instant until, Set<Integer> ports, String decidedBy,
        List<String> groups) {

    public static final String DEFAULT = "default";

    public boolean allows(int port) {
        return enabled && ports.contains(port);
    }

    /** The policy of a device in {@code groups}, from its tenant's switches. */
    public static EffectivePolicy of(String device, Collection<String> groups, Collection<AccessSwitch> switches,
            Instant now) {
        AccessSwitch fleet = null;
        AccessSwitch own = null;
        List<AccessSwitch> ofGroups = new ArrayList<>();
        for (AccessSwitch candidate : switches) {
            switch (candidate.scope) {
                case FLEET -> fleet = candidate;
                case DEVICE -> own = device.equals(candidate.target) ? candidate : own;
                case GROUP -> {
                    if (groups.contains(candidate.target)) {
                        ofGroups.add(candidate);
                    }
                }
            }
        }
        if (own != null) {
            return single(own, now);
        }
        if (!ofGroups.isEmpty()) {
            return fromGroups(ofGroups, now);
        }
        return fleet != null ? single(fleet, now) : new EffectivePolicy(false, null, Set.of(), DEFAULT, List.of());
    }

    private static EffectivePolicy single(AccessSwitch decisive, Instant now) {
        boolean on = decisive.onAt(now);
        return new EffectivePolicy(on, on ? decisive.until : null, on ? Set.copyOf(decisive.ports) : Set.of(),
                decisive.scope.value(), List.of());
    }

    private static EffectivePolicy fromGroups(List<AccessSwitch> ofGroups, Instant now) {
        Set<Integer> ports = new TreeSet<>();
        Set<String> deciding = new TreeSet<>();
        Instant until = null;
        for (AccessSwitch group : ofGroups) {
            if (group.onAt(now)) {
                ports.addAll(group.ports);
                deciding.add(group.target);
                until = until == null || group.until.isAfter(until) ? group.until : until;
            }
        }
        if (deciding.isEmpty()) {
            ofGroups.forEach(group -> deciding.add(group.target));
            return new EffectivePolicy(false, null, Set.of(), "group", List.copyOf(deciding));
        }
        return new EffectivePolicy(true, until, Set.copyOf(ports), "group", List.copyOf(deciding));
    }
}
