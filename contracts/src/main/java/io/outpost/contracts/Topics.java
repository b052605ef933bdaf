package io.outpost.contracts;

/** Kafka topic names. Every record is keyed {@code {tenant}/{device}} so one device's records keep their order. */
public final class Topics {
    /** Telemetry as the device sent it. Producer: mqtt-bridge. */
    public static final String TELEMETRY = "outpost.telemetry.v1";
    /** Inquiry requests, subscribes and cancels. Producer: mqtt-bridge. Consumer: inquiry-service. */
    public static final String INQUIRIES = "outpost.inquiries.v1";
    /**
     * Answers from Kafka handlers, keyed {@code {tenant}/{device}}: {@code ce_tenant}, {@code ce_device},
     * {@code ce_correlationid} = the device's request id, {@code ce_answertype} ({@link InquiryAnswerType}), optional
     * {@code ce_ttl}, {@code ce_latestonly}, {@code content-type}; the value is the answer. Producers: tenants' backends.
     * Consumer: inquiry-service.
     */
    public static final String INQUIRY_ANSWERS = "outpost.inquiry-answers.v1";
    /** {@link InquiryEvent}s: opened, streaming, answered, ended, cancelled, expired, failed. Producer: inquiry-service. */
    public static final String INQUIRY_EVENTS = "outpost.inquiry-events.v1";
    /** Device replies to commands. Producer: mqtt-bridge. Consumer: command-service. */
    public static final String COMMAND_RESPONSES = "outpost.command-responses.v1";
    /** Messages for devices (commands, notifications, inquiry answers). Consumer: every bridge node. */
    public static final String OUTBOUND = "outpost.outbound.v1";
    /** {@link DeliveryReceipt}s. Producer: mqtt-bridge. Consumers: the owners of outbound messages. */
    public static final String DELIVERY_RECEIPTS = "outpost.delivery-receipts.v1";
    /** {@link DeviceSessionEvent}s. Producer: mqtt-bridge. Consumers: device-registry, owners. */
    public static final String DEVICE_SESSIONS = "outpost.device-sessions.v1";
    /** {@link RegistryDevice} records, compacted; a tombstone when a device is deleted. Producer: device-registry. */
    public static final String REGISTRY_DEVICES = "outpost.registry.devices.v1";
    /**
     * {@link RegistryGroup} records, compacted, keyed {@code {tenant}/{group}}; a tombstone when a group is deleted.
     * Memberships travel on the devices' records. Producer: device-registry.
     */
    public static final String REGISTRY_GROUPS = "outpost.registry.groups.v1";
    /** Every command state transition. Producer: command-service. Consumers: product teams. */
    public static final String COMMAND_EVENTS = "outpost.command-events.v1";
    /** {@link NotificationEvent}s: sent, revoked, expired, finished. Producer: notification-service. */
    public static final String NOTIFICATION_EVENTS = "outpost.notification-events.v1";

    /**
     * {@link RemoteAccessEvent}s: remote-access switches set or removed, tunnels opened and closed. Producer:
     * remote-access-service. Consumers: auditors.
     */
    public static final String REMOTE_ACCESS_EVENTS = "outpost.remote-access-events.v1";

    /**
     * {@link BridgeNodeEvent}s, keyed by node id: bridge nodes' heartbeats, so the registry can end the sessions of a
     * node that died without saying so. Producer: mqtt-bridge. Consumer: device-registry.
     */
    public static final String BRIDGE_NODES = "outpost.bridge-nodes.v1";

    /**
     * {@link DeviceSubscriptions}, keyed {@code {tenant}/{device}}: the subscriptions of an MQTT 3.1.1 device that
     * connects with CleanSession 0, restored on whichever bridge node it connects to next; a tombstone when it connects
     * with CleanSession 1 or is deleted. Producer and consumer: mqtt-bridge.
     */
    public static final String DEVICE_SUBSCRIPTIONS = "outpost.device-subscriptions.v1";

    /** Topics whose latest record per key is all that matters. */
    public static final java.util.Set<String> COMPACTED = java.util.Set.of(REGISTRY_DEVICES, REGISTRY_GROUPS,
            DEVICE_SUBSCRIPTIONS);

    /** Every topic of the platform, in the order of ARCHITECTURE.md. */
    public static final java.util.List<String> ALL = java.util.List.of(
            TELEMETRY, INQUIRIES, COMMAND_RESPONSES, OUTBOUND, DELIVERY_RECEIPTS, DEVICE_SESSIONS,
            REGISTRY_DEVICES, REGISTRY_GROUPS, COMMAND_EVENTS, NOTIFICATION_EVENTS, INQUIRY_ANSWERS, INQUIRY_EVENTS,
            REMOTE_ACCESS_EVENTS, BRIDGE_NODES, DEVICE_SUBSCRIPTIONS);

    private Topics() {
    }
}
