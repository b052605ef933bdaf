package io.outpost.device;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecentIdsTest {

    @Test
    void aRepeatedIdIsADuplicateUntilItLeavesTheWindow() {
        RecentIds ids = new RecentIds(3);
        assertTrue(ids.firstTime("a"));
        assertFalse(ids.firstTime("a"));
        assertTrue(ids.firstTime("b"));
        assertTrue(ids.firstTime("c"));
        assertFalse(ids.firstTime("a"), "still among the last three");
        assertTrue(ids.firstTime("d"));
        assertTrue(ids.firstTime("a"), "pushed out by d");
    }
}
