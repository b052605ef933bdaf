package io.outpost.load;

import java.util.BitSet;

/**
 * The notifications one simulated device received, as indexes the {@link NotificationTally} gives their ids: all of
 * them, and those of its current MQTT session.
 */
final class DeviceNotifications {

    /** How an arrival relates to what the device had before. */
    enum Arrival {
        /** The id's first arrival at this device. */
        FIRST,
        /** Again in a later session: expected, delivery is at least once overall. */
        REDELIVERED,
        /** Again in the same session: the bridge promises at most once per session for an acknowledged message. */
        DUPLICATE_IN_SESSION
    }

    private final BitSet received = new BitSet();
    private final BitSet session = new BitSet();

    synchronized void sessionStarted() {
        session.clear();
    }

    synchronized Arrival arrived(int index) {
        boolean inSession = session.get(index);
        boolean before = received.get(index);
        session.set(index);
        received.set(index);
        return inSession ? Arrival.DUPLICATE_IN_SESSION : before ? Arrival.REDELIVERED : Arrival.FIRST;
    }

    /** How many distinct notification ids reached this device. */
    synchronized int distinct() {
        return received.cardinality();
    }
}
