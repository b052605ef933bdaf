package io.outpost.inquiry.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.Topics;
import io.outpost.inquiry.service.Asked;
import io.outpost.inquiry.service.InquiryIntake;
import io.outpost.inquiry.service.WebhookCall;
import io.outpost.inquiry.service.WebhookDispatcher;
import io.outpost.mailbox.Retries;
import io.outpost.messaging.CloudEventRecords;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * What devices ask, as the bridge forwards it from {@code devices/{d}/inquiries/request|subscribe/{name}/{requestId}}
 * and {@code .../cancel/{requestId}}: the device is the record's ({@code ce_tenant}/{@code ce_device}, as the bridge
 * authenticated it), the rest is the topic's. One device's records are applied in order; the offset is committed after
 * the inquiry was stored, and its webhook is called after that commit.
 */
@ApplicationScoped
public class InquiryListener {
    private static final Logger LOG = Logger.getLogger(InquiryListener.class);
    private static final String OCTET_STREAM = "application/octet-stream";

    @Inject
    InquiryIntake intake;
    @Inject
    WebhookDispatcher webhooks;
    @Inject
    MeterRegistry metrics;

    @Incoming("inquiries")
    @Blocking(ordered = true)
    public void onInquiry(ConsumerRecord<String, byte[]> record) {
        Headers headers = record.headers();
        String tenant = CloudEventRecords.text(headers, CloudEventHeaders.TENANT);
        String device = CloudEventRecords.text(headers, CloudEventHeaders.DEVICE);
        String type = CloudEventRecords.text(headers, CloudEventHeaders.TYPE);
        String topic = CloudEventRecords.text(headers, CloudEventHeaders.MQTT_TOPIC);
        List<String> levels = topic == null ? List.of() : List.of(topic.split("/", -1));
        boolean ask = (CloudEventTypes.INQUIRY_REQUEST.equals(type) || CloudEventTypes.INQUIRY_SUBSCRIBE.equals(type))
                && levels.size() == 4;
        boolean cancel = CloudEventTypes.INQUIRY_CANCEL.equals(type) && levels.size() == 3;
        if (tenant == null || device == null || !(ask || cancel)) {
            LOG.warnf("skipped an inquiry record of type %s on topic %s at offset %d of %s-%d", type, topic,
                    record.offset(), record.topic(), record.partition());
            count(tenant == null ? "unknown" : tenant, "malformed");
            return;
        }
        Optional<WebhookCall>[] call = new Optional[] {Optional.empty()};
        boolean applied = Retries.apply(metrics, Topics.INQUIRIES, type + " " + topic + " of " + tenant + "/" + device,
                () -> call[0] = ask ? intake.open(asked(tenant, device, type, levels, record))
                        : intake.cancel(tenant, device, levels.get(2)));
        if (applied) {
            count(tenant, ask ? "opened" : "cancelled");
            call[0].ifPresent(webhooks::dispatch);
        }
    }

    private static Asked asked(String tenant, String device, String type, List<String> levels,
            ConsumerRecord<String, byte[]> record) {
        String contentType = CloudEventRecords.text(record.headers(), CloudEventHeaders.CONTENT_TYPE);
        return new Asked(tenant, device, levels.get(2), levels.get(3), CloudEventTypes.INQUIRY_SUBSCRIBE.equals(type),
                contentType == null ? OCTET_STREAM : contentType, record.value() == null ? new byte[0] : record.value(),
                lifetime(CloudEventRecords.text(record.headers(), CloudEventHeaders.LIFETIME)),
                Instant.ofEpochMilli(record.timestamp()));
    }

    /** The lifetime the device asked for, in seconds; anything but a positive number means the default. */
    private static Duration lifetime(String seconds) {
        if (seconds == null || !seconds.matches("[0-9]{1,9}") || Long.parseLong(seconds) == 0) {
            return null;
        }
        return Duration.ofSeconds(Long.parseLong(seconds));
    }

    private void count(String tenant, String outcome) {
        metrics.counter("outpost.inquiry.requests", "tenant", tenant, "outcome", outcome).increment();
    }
}
