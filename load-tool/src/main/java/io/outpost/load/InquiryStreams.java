package io.outpost.load;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What answers reached the devices of continuing inquiries, one stream per inquiry (by index), each answer numbered by
 * its backend ({@code seq} 1, 2, ...). Delivery is at least once, so the same message ({@code outpost-message-id}) may
 * come again: a duplicate, not counted as delivered. The same {@code seq} under a new message id (the service stored
 * the answer twice) is a copy, not counted either. A first arrival of a {@code seq} lower than one the stream already
 * had is out of order. Safe for the MQTT clients' threads.
 */
final class InquiryStreams {

    /** How an arrival relates to what its stream had before. */
    enum Arrival {
        /** A new answer, after every one the stream had. */
        FIRST,
        /** A new answer, but one with a higher {@code seq} came before it. */
        OUT_OF_ORDER,
        /** A message id the stream had already. */
        DUPLICATE,
        /** A {@code seq} the stream had already, under another message id (or none). */
        COPY
    }

    private final Stream[] streams;
    private final LongAdder received = new LongAdder();
    private final LongAdder distinct = new LongAdder();
    private final LongAdder outOfOrder = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder copies = new LongAdder();
    private final LongAdder withoutId = new LongAdder();
    private final AtomicLong lastDistinctNanos = new AtomicLong(Long.MIN_VALUE);

    InquiryStreams(int inquiries) {
        streams = new Stream[inquiries];
        for (int i = 0; i < inquiries; i++) {
            streams[i] = new Stream();
        }
    }

    /** Answer {@code seq} of stream {@code inquiry} arrived at {@code nanos}; {@code messageId} null if it had none. */
    Arrival arrived(int inquiry, String messageId, int seq, long nanos) {
        received.increment();
        if (messageId == null) {
            withoutId.increment();
        }
        Arrival arrival = streams[inquiry].arrived(messageId, seq);
        switch (arrival) {
            case FIRST, OUT_OF_ORDER -> {
                distinct.increment();
                lastDistinctNanos.accumulateAndGet(nanos, Math::max);
                if (arrival == Arrival.OUT_OF_ORDER) {
                    outOfOrder.increment();
                }
            }
            case DUPLICATE -> duplicates.increment();
            case COPY -> copies.increment();
        }
        return arrival;
    }

    /** Every arrival, duplicates and copies included. */
    long received() {
        return received.sum();
    }

    /** Distinct answers (inquiry and {@code seq}) delivered. */
    long distinct() {
        return distinct.sum();
    }

    long outOfOrder() {
        return outOfOrder.sum();
    }

    long duplicates() {
        return duplicates.sum();
    }

    long copies() {
        return copies.sum();
    }

    long withoutId() {
        return withoutId.sum();
    }

    /** When the last new answer arrived (nanoTime); {@link Long#MIN_VALUE} while none has. */
    long lastDistinctNanos() {
        return lastDistinctNanos.get();
    }

    /** Distinct answers stream {@code inquiry} got. */
    int distinct(int inquiry) {
        return streams[inquiry].distinct();
    }

    private static final class Stream {
        private final Set<String> ids = new HashSet<>();
        private final BitSet seqs = new BitSet();
        private int highest;

        synchronized Arrival arrived(String messageId, int seq) {
            if (messageId != null && !ids.add(messageId)) {
                return Arrival.DUPLICATE;
            }
            if (seqs.get(seq)) {
                return Arrival.COPY;
            }
            seqs.set(seq);
            if (seq < highest) {
                return Arrival.OUT_OF_ORDER;
            }
            highest = seq;
            return Arrival.FIRST;
        }

        synchronized int distinct() {
            return seqs.cardinality();
        }
    }
}
