package io.outpost.bridge.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.outpost.bridge.NodeIdentity;
import io.outpost.contracts.OutboundMessage;
import io.outpost.messaging.TraceContext;

/**
 * Spans of deliveries to devices (docs/operations.md, "Tracing"): sending a message to a device is the span
 * "deliver {kind}" (e.g. "deliver command"), from the PUBLISH to its PUBACK, a child of the trace context its record
 * of {@code outpost.outbound.v1} carried, which is the one of the request that stored it. A record without one gets
 * no span: a delivery alone is not worth a trace.
 * <p>
 * Off by default ({@code quarkus.otel.sdk.disabled}): then no header is read and no span is started or kept, so the
 * hot paths pay one boolean test per outbound record and one null test per PUBLISH and PUBACK.
 */
@ApplicationScoped
public class DeliveryTracing {
    private final boolean enabled;
    private final Tracer tracer;
    private final String node;

    @Inject
    public DeliveryTracing(Tracer tracer, NodeIdentity node,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled") boolean disabled) {
        this.enabled = !disabled;
        this.tracer = tracer;
        this.node = node.id();
    }

    public boolean enabled() {
        return enabled;
    }

    /** The trace context an outbound record carries; null without one, and always null (unread) while tracing is off. */
    public TraceContext read(Headers headers) {
        if (!enabled) {
            return null;
        }
        TraceContext trace = TraceContext.read(headers);
        return trace.present() ? trace : null;
    }

    /**
     * Starts the span of sending the message to the device on {@code mqttTopic}; null if the message has no trace
     * context (tracing off, or none came with its record). The caller ends it on PUBACK, or when the session ends.
     */
    public Span sending(ExpiringMessage expiring, String mqttTopic) {
        TraceContext trace = expiring.trace();
        if (trace == null) {
            return null;
        }
        OutboundMessage message = expiring.message();
        return tracer.spanBuilder("deliver " + label(message))
                .setParent(trace.context())
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("outpost.tenant", message.tenant())
                .setAttribute("outpost.device", message.device())
                .setAttribute("outpost.message.id", message.id())
                .setAttribute("outpost.message.kind", message.kind().name())
                .setAttribute("outpost.bridge.node", node)
                .setAttribute("messaging.system", "mqtt")
                .setAttribute("messaging.destination.name", mqttTopic)
                .startSpan();
    }

    /** {@code COMMAND} -> {@code command}, {@code INQUIRY_RESPONSE} -> {@code inquiry response}. */
    static String label(OutboundMessage message) {
        return message.kind().name().toLowerCase().replace('_', ' ');
    }
}
