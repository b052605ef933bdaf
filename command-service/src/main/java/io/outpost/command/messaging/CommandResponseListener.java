package io.outpost.command.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.outpost.mailbox.Mailbox;
import io.outpost.mailbox.Retries;
import io.outpost.command.service.CommandService;
import io.outpost.command.service.ReplyTopic;
import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.Topics;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Device replies, as the bridge forwards them from {@code devices/{d}/commands/response/{commandId}[/{status}]}: the
 * device is the record's ({@code ce_tenant}/{@code ce_device}, as authenticated by the bridge), the status is the
 * topic's last level, the payload and content type are the device's. A reply to an unknown command, to another
 * device's, or to one already final is ignored and counted in
 * {@code outpost_command_responses_total{tenant,outcome}}. The offset is committed after the reply is applied. With
 * tracing on, applying it is the span "command reply" in the trace of the command's POST.
 */
@ApplicationScoped
public class CommandResponseListener {
    private static final Logger LOG = Logger.getLogger(CommandResponseListener.class);
    static final String OCTET_STREAM = "application/octet-stream";

    @Inject
    CommandService commands;
    @Inject
    MeterRegistry metrics;
    @Inject
    Mailbox mailbox;
    @Inject
    Tracer tracer;
    /** Tracing's one switch (docs/operations.md, "Tracing"): while it is off, no reply costs a span or a lookup. */
    @ConfigProperty(name = "quarkus.otel.sdk.disabled")
    boolean tracingDisabled;

    @Incoming("command-responses")
    @Blocking(ordered = true)
    public void onResponse(ConsumerRecord<String, byte[]> record) {
        String tenant = header(record, CloudEventHeaders.TENANT);
        String device = header(record, CloudEventHeaders.DEVICE);
        if ((tenant == null || device == null) && record.key() != null && record.key().indexOf('/') > 0) {
            tenant = record.key().substring(0, record.key().indexOf('/'));
            device = record.key().substring(record.key().indexOf('/') + 1);
        }
        Optional<ReplyTopic> reply = device == null ? Optional.empty()
                : ReplyTopic.parse(header(record, CloudEventHeaders.MQTT_TOPIC), device);
        if (tenant == null || reply.isEmpty()) {
            LOG.warnf("skipped a command response without device or with topic %s at offset %d of %s-%d",
                    header(record, CloudEventHeaders.MQTT_TOPIC), record.offset(), record.topic(), record.partition());
            count(tenant == null ? "unknown" : tenant, "malformed");
            return;
        }
        String contentType = Optional.ofNullable(header(record, CloudEventHeaders.CONTENT_TYPE)).orElse(OCTET_STREAM);
        String replyTenant = tenant;
        String replyDevice = device;
        Span span = tracingDisabled ? null : replySpan(tenant, device, reply.get().commandId());
        try (Scope scope = span == null ? null : span.makeCurrent()) {
            Retries.apply(metrics, Topics.COMMAND_RESPONSES, "reply to " + reply.get().commandId(), () -> {
                CommandService.ReplyOutcome outcome = commands.reply(replyTenant, replyDevice, reply.get(),
                        contentType, record.value());
                if (outcome != CommandService.ReplyOutcome.APPLIED) {
                    LOG.debugf("reply of %s/%s to %s ignored: %s", replyTenant, replyDevice, reply.get().commandId(),
                            outcome);
                }
                count(replyTenant, outcome.name().toLowerCase());
                if (span != null) {
                    span.setAttribute("outpost.reply.outcome", outcome.name());
                }
            });
        } finally {
            if (span != null) {
                span.end();
            }
        }
    }

    /**
     * The span of applying a reply, in the trace of the POST that sent the command (stored with its mailbox message),
     * so a command's trace goes from the REST call through the bridge's delivery to its result; a trace of its own for
     * a command stored without one.
     */
    private Span replySpan(String tenant, String device, String commandId) {
        return tracer.spanBuilder("command reply").setSpanKind(SpanKind.CONSUMER)
                .setParent(mailbox.trace(commandId).context())
                .setAttribute("outpost.tenant", tenant)
                .setAttribute("outpost.device", device)
                .setAttribute("outpost.command.id", commandId)
                .startSpan();
    }

    private void count(String tenant, String outcome) {
        metrics.counter("outpost.command.responses", "tenant", tenant, "outcome", outcome).increment();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
