package io.outpost.inquiry.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.Topics;
import io.outpost.inquiry.service.Asked;
import io.outpost.inquiry.service.DeviceRequest;
import io.outpost.inquiry.service.InquiryIntake;
import io.outpost.inquiry.service.WebhookCall;
import io.outpost.inquiry.service.WebhookDispatcher;
import io.outpost.mailbox.Retries;
import io.outpost.messaging.CloudEventRecords;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * What devices ask, as the bridge forwards it from {@code devices/{d}/inquiries/request|subscribe/{name}/{requestId}}
 * and {@code .../cancel/{requestId}}: the device is the record's ({@code ce_tenant}/{@code ce_device}, as the bridge
 * authenticated it), the rest is the topic's. A poll's worth is applied in one transaction, in order; the offset is
 * committed after that, and the webhooks are called after the commit.
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
    public void onInquiries(ConsumerRecords<String, byte[]> records) {
        List<DeviceRequest> requests = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            DeviceRequest request = read(record);
            if (request == null) {
                LOG.warnf("skipped an inquiry record of type %s on topic %s at offset %d of %s-%d",
                        CloudEventRecords.text(record.headers(), CloudEventHeaders.TYPE),
                        CloudEventRecords.text(record.headers(), CloudEventHeaders.MQTT_TOPIC), record.offset(),
                        record.topic(), record.partition());
                count(String.valueOf(CloudEventRecords.text(record.headers(), CloudEventHeaders.TENANT)), "malformed");
            } else {
                requests.add(request);
            }
        }
        if (requests.isEmpty()) {
            return;
        }
        List<Optional<WebhookCall>> calls = new ArrayList<>();
        if (Retries.apply(metrics, Topics.INQUIRIES, requests.size() + " inquiry records", () -> {
            calls.clear();
            calls.addAll(intake.applyAll(requests));
        })) {
            for (int i = 0; i < requests.size(); i++) {
                applied(requests.get(i), calls.get(i));
            }
        } else {
            requests.forEach(this::applyAlone);
        }
    }

    /** One record in its own transaction, when its batch could not be applied. */
    private void applyAlone(DeviceRequest request) {
        List<Optional<WebhookCall>> call = new ArrayList<>();
        if (Retries.apply(metrics, Topics.INQUIRIES, request.toString(), () -> {
            call.clear();
            call.addAll(intake.applyAll(List.of(request)));
        })) {
            applied(request, call.get(0));
        }
    }

    private void applied(DeviceRequest request, Optional<WebhookCall> call) {
        count(request.tenant(), request instanceof Asked ? "opened" : "cancelled");
        call.ifPresent(webhooks::dispatch);
    }

    /** The request the record carries; null when it carries none. */
    private static DeviceRequest read(ConsumerRecord<String, byte[]> record) {
        Headers headers = record.headers();
        String tenant = CloudEventRecords.text(headers, CloudEventHeaders.TENANT);
        String device = CloudEventRecords.text(headers, CloudEventHeaders.DEVICE);
        String type = CloudEventRecords.text(headers, CloudEventHeaders.TYPE);
        String topic = CloudEventRecords.text(headers, CloudEventHeaders.MQTT_TOPIC);
        List<String> levels = topic == null ? List.of() : List.of(topic.split("/", -1));
        if (tenant == null || device == null) {
            return null;
        }
        if ((CloudEventTypes.INQUIRY_REQUEST.equals(type) || CloudEventTypes.INQUIRY_SUBSCRIBE.equals(type))
                && levels.size() == 4) {
            return asked(tenant, device, type, levels, record);
        }
        if (CloudEventTypes.INQUIRY_CANCEL.equals(type) && levels.size() == 3) {
            return new DeviceRequest.Cancel(tenant, device, levels.get(2));
        }
        return null;
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
