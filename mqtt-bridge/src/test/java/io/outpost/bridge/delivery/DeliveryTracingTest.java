package io.outpost.bridge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.outpost.bridge.NodeIdentity;
import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.MessageKind;
import io.outpost.contracts.OutboundMessage;

class DeliveryTracingTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String POST_SPAN_ID = "00f067aa0ba902b7";
    private static final NodeIdentity NODE = new NodeIdentity("node-7", Instant.now());
    private static final String TOPIC = "devices/truck/commands/request/c-1/unlock";

    @Test
    void deliveryIsASpanInTheTraceItsRecordCarried() {
        // given tracing on, and a command whose record carries the trace of its POST
        List<SpanData> exported = new CopyOnWriteArrayList<>();
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(collectingInto(exported))).build();
        DeliveryTracing tracing = new DeliveryTracing(provider.get("test"), NODE, false);
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.TRACE_PARENT, ("00-" + TRACE_ID + "-" + POST_SPAN_ID + "-01")
                .getBytes(StandardCharsets.UTF_8));

        // when the bridge sends it to the device and the device acknowledges it
        ExpiringMessage message = command().withTrace(tracing.read(headers));
        Span span = tracing.sending(message, TOPIC);
        span.end();

        // then one span, a child of the POST's, names the delivery
        assertEquals(1, exported.size());
        SpanData delivery = exported.get(0);
        assertEquals("deliver command", delivery.getName());
        assertEquals(SpanKind.PRODUCER, delivery.getKind());
        assertEquals(TRACE_ID, delivery.getTraceId());
        assertEquals(POST_SPAN_ID, delivery.getParentSpanId());
        assertEquals("acme", delivery.getAttributes().get(AttributeKey.stringKey("outpost.tenant")));
        assertEquals("truck", delivery.getAttributes().get(AttributeKey.stringKey("outpost.device")));
        assertEquals("c-1", delivery.getAttributes().get(AttributeKey.stringKey("outpost.message.id")));
        assertEquals("node-7", delivery.getAttributes().get(AttributeKey.stringKey("outpost.bridge.node")));
        assertEquals(TOPIC, delivery.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")));
    }

    @Test
    void recordWithoutTraceGetsNoSpan() {
        // given tracing on, and a record without trace headers
        Tracer failing = name -> {
            throw new AssertionError("no span may start for a message without trace context");
        };
        DeliveryTracing tracing = new DeliveryTracing(failing, NODE, false);

        // when / then nothing is kept and no span starts
        assertNull(tracing.read(new RecordHeaders()));
        assertNull(tracing.sending(command().withTrace(tracing.read(new RecordHeaders())), TOPIC));
    }

    @Test
    void whileTracingIsOffNoHeaderIsReadAndNoSpanStarts() {
        // given tracing at its default, off, and a record that carries a trace
        Tracer failing = name -> {
            throw new AssertionError("no span may start while tracing is off");
        };
        DeliveryTracing tracing = new DeliveryTracing(failing, NODE, true);
        RecordHeaders headers = new RecordHeaders() {
            @Override
            public Header lastHeader(String key) {
                throw new AssertionError("no header may be read while tracing is off");
            }
        };

        // when the bridge reads and sends the message / then nothing is read, kept or started
        ExpiringMessage message = command().withTrace(tracing.read(headers));
        assertNull(message.trace());
        assertNull(tracing.sending(message, TOPIC));
    }

    private static ExpiringMessage command() {
        Instant now = Instant.now();
        return ExpiringMessage.readNow(new OutboundMessage("c-1", "acme", "truck", MessageKind.COMMAND,
                "commands/request/c-1/unlock", now, now.plusSeconds(60), "application/json", new byte[0]),
                now.toEpochMilli());
    }

    private static SpanExporter collectingInto(List<SpanData> exported) {
        return new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                exported.addAll(spans);
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
    }
}
