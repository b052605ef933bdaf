package io.outpost.contracts;

/** Outcome of handing an outbound message to a device. */
public enum DeliveryStatus {
    /** The device acknowledged it (MQTT PUBACK). */
    DELIVERED,
    /** Its expires-at passed before the device acknowledged it; it was not and will not be delivered. */
    EXPIRED,
    /** The bridge will not deliver it (unknown or disabled device, malformed message). */
    REJECTED,
    /**
     * The device can never take it: it is larger than the Maximum Packet Size the device announced in its MQTT 5
     * CONNECT. Final: sending it again would only repeat the refusal.
     */
    UNDELIVERABLE
}
