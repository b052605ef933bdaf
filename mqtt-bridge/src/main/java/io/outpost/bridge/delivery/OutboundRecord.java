package io.outpost.bridge.delivery;

import java.time.Instant;

import io.outpost.contracts.Audience;
import io.outpost.contracts.OutboundMessage;

/** What one record of {@code outpost.outbound.v1} asks of a bridge node ({@link OutboundRecords#read}). */
public sealed interface OutboundRecord {

    /**
     * A message to deliver. For {@link Audience#GROUP} and {@link Audience#FLEET} the message has no device (each
     * node makes a copy per connected member). {@code group} is set for {@link Audience#GROUP}, and for a member's copy
     * of a group message ({@link Audience#DEVICE} naming its group): then it goes out only while the device is a member.
     * {@code incarnation} ({@code ce_deviceincarnation}) is the incarnation of the device a device message is for, or
     * null.
     */
    record Message(OutboundMessage message, Audience audience, String group, Instant incarnation)
            implements OutboundRecord {
    }

    /**
     * The owner revoked message {@code id} of {@code tenant}.
     *
     * @param expiresAt the revoked message's expiry; null when the record had none (or an unreadable one)
     */
    record Revocation(String id, String tenant, Instant expiresAt) implements OutboundRecord {
    }

    /** A record this node cannot act on, and why. */
    record Unusable(String why) implements OutboundRecord {
    }
}
