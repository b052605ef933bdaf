package io.outpost.contracts;

/** What an outbound (cloud to device) message is; each kind has one owner service. */
public enum MessageKind {
    COMMAND,
    NOTIFICATION,
    INQUIRY_RESPONSE
}
