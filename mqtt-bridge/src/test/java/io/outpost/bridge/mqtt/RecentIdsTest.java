package io.outpost.bridge.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecentIdsTest {

    @Test
    void idAddedTwiceIsRecognisedTheSecondTime() {
        RecentIds ids = new RecentIds(3);

        assertTrue(ids.add("a"));
        assertFalse(ids.add("a"));
        assertTrue(ids.contains("a"));
        assertFalse(ids.contains("b"));
    }

    @Test
    void beyondItsCapacityTheOldestIdIsForgotten() {
        RecentIds ids = new RecentIds(3);
        ids.add("a");
        ids.add("b");
        ids.add("c");
        ids.add("a"); // a repeat keeps its first place: it is still the oldest

        ids.add("d");

        assertFalse(ids.contains("a"));
        assertTrue(ids.contains("b") && ids.contains("c") && ids.contains("d"));
        assertEquals(3, ids.size());
    }

    @Test
    void capacityBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RecentIds(0));
    }
}
