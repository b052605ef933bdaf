package io.outpost.contracts;

/** Values of the CloudEvents {@code type} attribute, reverse-DNS and versioned. */
public final class CloudEventTypes {
    public static final String TELEMETRY = "io.outpost.telemetry.v1";
    public static final String INQUIRY_REQUEST = "io.outpost.inquiry.request.v1";
    public static final String INQUIRY_SUBSCRIBE = "io.outpost.inquiry.subscribe.v1";
    public static final String INQUIRY_CANCEL = "io.outpost.inquiry.cancel.v1";
    /** On {@link Topics#INQUIRY_ANSWERS}: an answer from a tenant's Kafka handler. */
    public static final String INQUIRY_ANSWER = "io.outpost.inquiry.answer.v1";
    public static final String INQUIRY_EVENT = "io.outpost.inquiry.event.v1";
    public static final String COMMAND_RESPONSE = "io.outpost.command.response.v1";
    public static final String OUTBOUND_COMMAND = "io.outpost.outbound.command.v1";
    public static final String OUTBOUND_NOTIFICATION = "io.outpost.outbound.notification.v1";
    public static final String OUTBOUND_INQUIRY_RESPONSE = "io.outpost.outbound.inquiry-response.v1";
    public static final String OUTBOUND_TUNNEL_REQUEST = "io.outpost.outbound.tunnel-request.v1";
    /**
     * On {@link Topics#OUTBOUND}: the message whose id is {@code ce_id} (of tenant {@code ce_tenant}) is revoked; bridge
     * nodes drop it wherever it waits and ignore it until its {@code ce_expiresat}. No value.
     */
    public static final String OUTBOUND_REVOKED = "io.outpost.outbound.revoked.v1";
    public static final String DELIVERY_RECEIPT = "io.outpost.delivery.receipt.v1";
    public static final String DEVICE_SESSION = "io.outpost.device.session.v1";
    public static final String REGISTRY_DEVICE = "io.outpost.registry.device.v1";
    public static final String REGISTRY_GROUP = "io.outpost.registry.group.v1";
    public static final String NOTIFICATION_EVENT = "io.outpost.notification.event.v1";
    public static final String COMMAND_EVENT = "io.outpost.command.event.v1";
    public static final String BRIDGE_NODE = "io.outpost.bridge.node.v1";
    public static final String REMOTE_ACCESS_EVENT = "io.outpost.remote-access.event.v1";

    private CloudEventTypes() {
    }
}
