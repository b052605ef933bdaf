package io.outpost.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.outpost.load.InquiryStreams.Arrival;

class InquiryStreamsTest {
    private final InquiryStreams streams = new InquiryStreams(2);

    @Test
    void answersInTheirOrderAreNewAndTheLastNewArrivalIsKept() {
        assertEquals(Arrival.FIRST, streams.arrived(0, "m-1", 1, 100));
        assertEquals(Arrival.FIRST, streams.arrived(0, "m-2", 2, 200));
        assertEquals(Arrival.FIRST, streams.arrived(1, "m-3", 1, 150));

        assertEquals(3, streams.distinct());
        assertEquals(2, streams.distinct(0));
        assertEquals(200, streams.lastDistinctNanos());
        assertEquals(0, streams.outOfOrder());
    }

    @Test
    void aLowerSeqAfterAHigherOneIsNewButOutOfOrderAndAGapIsNot() {
        streams.arrived(0, "m-1", 1, 100);
        assertEquals(Arrival.FIRST, streams.arrived(0, "m-3", 3, 300), "a gap is no disorder (yet)");
        assertEquals(Arrival.OUT_OF_ORDER, streams.arrived(0, "m-2", 2, 400));

        assertEquals(3, streams.distinct());
        assertEquals(1, streams.outOfOrder());
        assertEquals(400, streams.lastDistinctNanos(), "an out-of-order answer is still a delivered one");
    }

    @Test
    void theSameMessageAgainIsADuplicateAndTheSameSeqUnderANewIdACopyNeitherDelivered() {
        streams.arrived(0, "m-1", 1, 100);
        assertEquals(Arrival.DUPLICATE, streams.arrived(0, "m-1", 1, 500));
        assertEquals(Arrival.COPY, streams.arrived(0, "m-9", 1, 600));
        assertEquals(Arrival.FIRST, streams.arrived(1, "m-1", 1, 700), "ids are per stream");

        assertEquals(4, streams.received());
        assertEquals(2, streams.distinct());
        assertEquals(1, streams.duplicates());
        assertEquals(1, streams.copies());
        assertEquals(0, streams.outOfOrder());
    }

    @Test
    void withoutAMessageIdTheSeqAloneTellsCopiesApart() {
        assertEquals(Arrival.FIRST, streams.arrived(0, null, 1, 100));
        assertEquals(Arrival.COPY, streams.arrived(0, null, 1, 200));

        assertEquals(2, streams.withoutId());
        assertEquals(1, streams.distinct());
    }
}
