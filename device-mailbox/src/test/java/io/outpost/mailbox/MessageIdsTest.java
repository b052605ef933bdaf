package io.outpost.mailbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class MessageIdsTest {

    @Test
    void idsAreVersion7UuidsOrderedByTheirMillisecond() {
        UUID earlier = UUID.fromString(MessageIds.next(1_700_000_000_000L));
        UUID later = UUID.fromString(MessageIds.next(1_700_000_000_001L));
        assertEquals(7, earlier.version());
        assertEquals(2, earlier.variant());
        assertEquals(1_700_000_000_000L, earlier.getMostSignificantBits() >>> 16);
        assertTrue(earlier.toString().compareTo(later.toString()) < 0);
        assertNotEquals(MessageIds.next(), MessageIds.next());
    }
}
