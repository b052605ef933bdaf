package io.outpost.command;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import io.outpost.contracts.CommandState;

/**
 * The command state machine (ARCHITECTURE.md, "Command states"). Only these moves exist; anything else, such as a late
 * delivery receipt for an EXPIRED command or a reply after TIMED_OUT, is refused, so a final state never changes.
 * One move beyond ARCHITECTURE.md: PENDING -> FAILED, for a command the device can never take (larger than the
 * Maximum Packet Size it announced), which would otherwise wait for its expiry while nothing can deliver it.
 */
public final class CommandStates {
    private static final Map<CommandState, Set<CommandState>> NEXT = Map.of(
            CommandState.PENDING, EnumSet.of(CommandState.DELIVERED, CommandState.EXPIRED, CommandState.CANCELLED,
                    CommandState.FAILED),
            CommandState.DELIVERED, EnumSet.of(CommandState.SUCCEEDED, CommandState.FAILED, CommandState.TIMED_OUT));

    private CommandStates() {
    }

    public static boolean allowed(CommandState from, CommandState to) {
        return NEXT.getOrDefault(from, Set.of()).contains(to);
    }

    /** SUCCEEDED, FAILED, EXPIRED, TIMED_OUT and CANCELLED: nothing follows. */
    public static boolean isFinal(CommandState state) {
        return state != null && !NEXT.containsKey(state);
    }
}
