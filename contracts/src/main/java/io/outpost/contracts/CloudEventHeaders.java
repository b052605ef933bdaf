package io.outpost.contracts;

/**
 * Kafka header names of CloudEvents 1.0 binary content mode (Kafka protocol binding), plus Outpost's extensions.
 * The record value is the event's data, untouched; its media type is in {@link #CONTENT_TYPE}.
 * Extension names follow the CloudEvents naming rule: lower-case letters and digits only.
 */
public final class CloudEventHeaders {
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    /** The data's media type; CloudEvents' Kafka binding maps {@code datacontenttype} to this header. */
    public static final String CONTENT_TYPE = "content-type";

    /** Extension: the tenant id. */
    public static final String TENANT = "ce_tenant";
    /** Extension: the device id within the tenant. */
    public static final String DEVICE = "ce_device";
    /**
     * Extension on {@link Topics#OUTBOUND}: who a message is for, an {@link Audience} value ({@code device},
     * {@code group}, {@code fleet}); absent means {@code device}. A group or fleet message is one record without
     * {@link #DEVICE}: every bridge node delivers it to its own connected members.
     */
    public static final String AUDIENCE = "ce_audience";
    /**
     * Extension: the group id of an outbound message for a group ({@link #AUDIENCE} {@code group}, or a member's copy
     * of one, which the bridge checks the membership of before sending), and of a {@link RegistryGroup} record.
     */
    public static final String GROUP = "ce_group";
    /** Extension: ISO-8601 instant after which an outbound message must never be delivered. */
    public static final String EXPIRES_AT = "ce_expiresat";
    /** Extension: the MQTT topic below {@code devices/{device}/} that a message came from or goes to. */
    public static final String MQTT_TOPIC = "ce_mqtttopic";
    /** Extension: the MQTT QoS a device used. */
    public static final String MQTT_QOS = "ce_mqttqos";
    /** Extension: {@code true} on a will message the bridge published for a device whose connection ended abnormally. */
    public static final String MQTT_WILL = "ce_mqttwill";
    /** Extension: the id of an MQTT 5 correlation-data or of the request this record answers. */
    public static final String CORRELATION_ID = "ce_correlationid";

    /**
     * Extension on {@link Topics#INQUIRIES}: the lifetime in seconds a device asked for its continuing inquiry (MQTT 5
     * user property {@code lifetime}); absent means the handler's default.
     */
    public static final String LIFETIME = "ce_lifetime";
    /** Extension on {@link Topics#INQUIRY_ANSWERS}: {@code answer}, {@code last} or {@code error} ({@link InquiryAnswerType}). */
    public static final String ANSWER_TYPE = "ce_answertype";
    /** Extension on {@link Topics#INQUIRY_ANSWERS}: how long, in seconds, the answer may wait for an offline device. */
    public static final String TTL = "ce_ttl";
    /**
     * Extension on {@link Topics#INQUIRY_ANSWERS}: {@code true} when a newer answer replaces this one if the device has
     * not got it yet ("latest only"), so an offline device gets the newest state, not every stale one.
     */
    public static final String LATEST_ONLY = "ce_latestonly";

    /**
     * The device's incarnation ({@link RegistryDevice#createdAt()}, ISO-8601): on a device message, the incarnation
     * it is for (a bridge never sends it to another one); on an upstream record, the incarnation that sent it.
     */
    public static final String DEVICE_INCARNATION = "ce_deviceincarnation";
    public static final String SPEC_VERSION_1_0 = "1.0";

    /**
     * W3C Trace Context {@code traceparent} of the span that caused the record, when tracing is on (docs/operations.md,
     * "Tracing"); absent otherwise. The header name is W3C's, without the {@code ce_} prefix: OpenTelemetry's Kafka
     * instrumentations read it there, and CloudEvents' distributed-tracing extension names the same value
     * {@code traceparent}.
     */
    public static final String TRACE_PARENT = "traceparent";
    /** W3C Trace Context {@code tracestate} (vendor data) beside {@link #TRACE_PARENT}; absent when empty. */
    public static final String TRACE_STATE = "tracestate";

    private CloudEventHeaders() {
    }
}
