package io.outpost.command.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
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
 * {@code outpost_command_responses_total{tenant,outcome}}. The offset is committed after the reply is applied.
 */
@ApplicationScoped
public class CommandResponseListener {
    private static final Logger LOG = Logger.getLogger(CommandResponseListener.class);
    static final String OCTET_STREAM = "application/octet-stream";

    @Inject
    CommandService commands;
    @Inject
    MeterRegistry metrics;

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
        Retries.apply(metrics, Topics.COMMAND_RESPONSES, "reply to " + reply.get().commandId(), () -> {
            CommandService.ReplyOutcome outcome = commands.reply(replyTenant, replyDevice, reply.get(), contentType,
                    record.value());
            if (outcome != CommandService.ReplyOutcome.APPLIED) {
                LOG.debugf("reply of %s/%s to %s ignored: %s", replyTenant, replyDevice, reply.get().commandId(), outcome);
            }
            count(replyTenant, outcome.name().toLowerCase());
        });
    }

    private void count(String tenant, String outcome) {
        metrics.counter("outpost.command.responses", "tenant", tenant, "outcome", outcome).increment();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
