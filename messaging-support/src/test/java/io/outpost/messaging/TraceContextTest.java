package io.outpost.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.outpost.contracts.CloudEventHeaders;

class TraceContextTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";

    @Test
    void currentSpanTravelsInW3cHeadersAndComesBackAsItsRemoteParent() {
        // given a sampled span with vendor data, current on this thread
        Span span = Span.wrap(SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(),
                TraceState.builder().put("vendor", "value").build()));
        TraceContext captured;
        try (Scope scope = Context.root().with(span).makeCurrent()) {
            // when it is captured and written to a record
            captured = TraceContext.current();
        }
        RecordHeaders headers = new RecordHeaders();
        captured.writeTo(headers);

        // then the record carries W3C's headers, and reading them gives the span as remote parent
        assertEquals("00-" + TRACE_ID + "-" + SPAN_ID + "-01", text(headers, "traceparent"));
        assertEquals("vendor=value", text(headers, "tracestate"));
        SpanContext parent = Span.fromContext(TraceContext.read(headers).context()).getSpanContext();
        assertTrue(parent.isRemote());
        assertEquals(TRACE_ID, parent.getTraceId());
        assertEquals(SPAN_ID, parent.getSpanId());
        assertTrue(parent.isSampled());
        assertEquals("value", parent.getTraceState().get("vendor"));
    }

    @Test
    void withoutACurrentSpanNothingIsCapturedOrWritten() {
        // given no span (tracing off: nothing starts one)
        TraceContext captured = TraceContext.current();

        // when it is written
        RecordHeaders headers = new RecordHeaders();
        captured.writeTo(headers);
        Map<String, String> stored = new LinkedHashMap<>();
        captured.writeTo(stored);

        // then nothing is there, and a span started from it would begin a trace of its own
        assertSame(TraceContext.NONE, captured);
        assertFalse(captured.present());
        assertFalse(headers.iterator().hasNext());
        assertTrue(stored.isEmpty());
        assertSame(Context.root(), captured.context());
    }

    @Test
    void recordWithoutTraceHeadersOrWithAMalformedOneHasNoParent() {
        // given a record without trace headers, and one whose traceparent is not W3C's
        RecordHeaders none = new RecordHeaders();
        RecordHeaders malformed = new RecordHeaders();
        malformed.add(CloudEventHeaders.TRACE_PARENT, "not-a-traceparent".getBytes(StandardCharsets.UTF_8));

        // when / then neither gives a valid parent
        assertSame(TraceContext.NONE, TraceContext.read(none));
        assertFalse(Span.fromContext(TraceContext.read(malformed).context()).getSpanContext().isValid());
    }

    @Test
    void storedColumnsComeBackAsTheSameTrace() {
        // given the two columns an outbox row keeps, tracestate empty
        TraceContext stored = TraceContext.of("00-" + TRACE_ID + "-" + SPAN_ID + "-01", "");

        // when written into stored headers (a ready record)
        Map<String, String> headers = new LinkedHashMap<>(Map.of(CloudEventHeaders.ID, "m-1"));
        stored.writeTo(headers);

        // then only traceparent is added, beside the record's own headers
        assertEquals(Map.of(CloudEventHeaders.ID, "m-1", "traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-01"),
                headers);
        assertNull(stored.tracestate());
    }

    private static String text(RecordHeaders headers, String name) {
        return CloudEventRecords.text(headers, name);
    }
}
