package io.outpost.contracts;

/** What an outbound (cloud to device) message is; each kind has one owner service. */
public enum MessageKind {
    COMMAND,
    NOTIFICATION,
    INQUIRY_RESPONSE,
    /** A tunnel request for the device's remote-access agent (remote-access-service). */
    TUNNEL_REQUEST
}
