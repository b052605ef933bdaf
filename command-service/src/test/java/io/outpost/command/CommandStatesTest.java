package io.outpost.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import io.outpost.contracts.CommandState;

class CommandStatesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({ "PENDING, DELIVERED", "PENDING, EXPIRED", "PENDING, CANCELLED", "PENDING, FAILED", "DELIVERED, SUCCEEDED",
            "DELIVERED, FAILED", "DELIVERED, TIMED_OUT" })
    void architectureTransitionsAreAllowed(CommandState from, CommandState to) {
        assertEquals(true, CommandStates.allowed(from, to));
    }

    @Test
    void nothingElseIsAllowed() {
        int allowed = 0;
        for (CommandState from : CommandState.values()) {
            for (CommandState to : CommandState.values()) {
                allowed += CommandStates.allowed(from, to) ? 1 : 0;
            }
        }
        assertEquals(7, allowed);
        assertFalse(CommandStates.allowed(CommandState.PENDING, CommandState.SUCCEEDED), "a reply is delivered first");
        assertFalse(CommandStates.allowed(CommandState.DELIVERED, CommandState.CANCELLED));
        assertFalse(CommandStates.allowed(CommandState.EXPIRED, CommandState.DELIVERED), "late receipt");
    }

    @ParameterizedTest
    @EnumSource(CommandState.class)
    void finalStatesHaveNoWayOut(CommandState state) {
        Set<CommandState> finals = EnumSet.of(CommandState.SUCCEEDED, CommandState.FAILED, CommandState.EXPIRED,
                CommandState.TIMED_OUT, CommandState.CANCELLED);
        assertEquals(finals.contains(state), CommandStates.isFinal(state));
        if (finals.contains(state)) {
            for (CommandState to : CommandState.values()) {
                assertFalse(CommandStates.allowed(state, to));
            }
        }
    }
}
