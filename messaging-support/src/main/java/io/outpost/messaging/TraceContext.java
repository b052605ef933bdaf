package io.outpost.messaging;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.header.Headers;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.outpost.contracts.CloudEventHeaders;

/**
 * A W3C Trace Context ({@code traceparent}, optional {@code tracestate}) as text, so it can be stored with a record
 * that is sent later from another thread (an outbox row) and written into, or read from, Kafka record headers
 * ({@link CloudEventHeaders#TRACE_PARENT}, {@link CloudEventHeaders#TRACE_STATE}). Always W3C's format, whatever
 * propagators a service configures: it is the wire contract between services.
 * <p>
 * Costs nothing when tracing is off: no span is current then, so {@link #current()} is {@link #NONE} after one
 * context lookup, and nothing is written.
 *
 * @param traceparent null in {@link #NONE}
 * @param tracestate  null when there is no vendor data
 */
public record TraceContext(String traceparent, String tracestate) {
    /** No trace: nothing to store or write. */
    public static final TraceContext NONE = new TraceContext(null, null);

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    /** The trace of the span current on this thread, or {@link #NONE}. */
    public static TraceContext current() {
        return of(Context.current());
    }

    /** The trace of the context's span, or {@link #NONE} if it has no valid one. */
    public static TraceContext of(Context context) {
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return NONE;
        }
        Map<String, String> carrier = new HashMap<>(2);
        W3C.inject(context, carrier, Map::put);
        return of(carrier.get(CloudEventHeaders.TRACE_PARENT), carrier.get(CloudEventHeaders.TRACE_STATE));
    }

    /** From stored text (e.g. two columns); {@link #NONE} without a traceparent. */
    public static TraceContext of(String traceparent, String tracestate) {
        if (traceparent == null || traceparent.isEmpty()) {
            return NONE;
        }
        return new TraceContext(traceparent, tracestate == null || tracestate.isEmpty() ? null : tracestate);
    }

    /** The trace a record carries; {@link #NONE} if it carries none. */
    public static TraceContext read(Headers headers) {
        return of(CloudEventRecords.text(headers, CloudEventHeaders.TRACE_PARENT),
                CloudEventRecords.text(headers, CloudEventHeaders.TRACE_STATE));
    }

    public boolean present() {
        return traceparent != null;
    }

    /** Adds the headers to a record's; nothing for {@link #NONE}. */
    public void writeTo(Headers headers) {
        if (traceparent != null) {
            headers.add(CloudEventHeaders.TRACE_PARENT, traceparent.getBytes(StandardCharsets.UTF_8));
            if (tracestate != null) {
                headers.add(CloudEventHeaders.TRACE_STATE, tracestate.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** Adds the headers to names and text values (a record stored to be sent later); nothing for {@link #NONE}. */
    public void writeTo(Map<String, String> headers) {
        if (traceparent != null) {
            headers.put(CloudEventHeaders.TRACE_PARENT, traceparent);
            if (tracestate != null) {
                headers.put(CloudEventHeaders.TRACE_STATE, tracestate);
            }
        }
    }

    /**
     * A context whose parent is this trace's (remote) span, to start spans in: {@link Context#root()} for
     * {@link #NONE} or a malformed traceparent, so a span started in it begins a trace of its own.
     */
    public Context context() {
        if (traceparent == null) {
            return Context.root();
        }
        Map<String, String> carrier = new HashMap<>(2);
        writeTo(carrier);
        return W3C.extract(Context.root(), carrier, MAP);
    }
}
