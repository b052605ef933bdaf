package io.outpost.inquiry.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.InquiryAnswerType;
import io.outpost.contracts.Topics;
import io.outpost.inquiry.config.InquiryConfig;
import io.outpost.inquiry.service.Answer;
import io.outpost.inquiry.service.InquiryAnswers;
import io.outpost.mailbox.Retries;
import io.outpost.messaging.CloudEventRecords;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Answers of Kafka handlers on {@code outpost.inquiry-answers.v1}: {@code ce_tenant}, {@code ce_device},
 * {@code ce_correlationid} (the device's request id), {@code ce_answertype} ({@code answer} unless it says
 * {@code last} or {@code error}), optional {@code ce_ttl} (seconds) and {@code ce_latestonly}, the value is the answer.
 * A poll's worth is applied in one transaction, in order. An answer that comes before the service stored its inquiry
 * (backends read the same record) waits in the database until it does; one for an inquiry that ended, or that cannot
 * be read, is counted and skipped.
 */
@ApplicationScoped
public class AnswerListener {
    private static final Logger LOG = Logger.getLogger(AnswerListener.class);
    private static final String OCTET_STREAM = "application/octet-stream";

    @Inject
    InquiryAnswers answers;
    @Inject
    MeterRegistry metrics;
    @Inject
    InquiryConfig config;

    @Incoming("inquiry-answers")
    @Blocking(ordered = true)
    public void onAnswers(ConsumerRecords<String, byte[]> records) {
        List<InquiryAnswers.KafkaAnswer> batch = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            InquiryAnswers.KafkaAnswer answer = read(record);
            if (answer == null) {
                LOG.warnf("skipped an inquiry answer without tenant, device, request id, or with a bad type, ttl or size at"
                        + " offset %d of %s-%d", record.offset(), record.topic(), record.partition());
                metrics.counter("outpost.inquiry.answers", "tenant", String.valueOf(CloudEventRecords.text(
                        record.headers(), CloudEventHeaders.TENANT)), "source", "kafka", "outcome", "malformed").increment();
            } else {
                batch.add(answer);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        List<InquiryAnswers.Outcome> outcomes = new ArrayList<>();
        boolean applied = Retries.apply(metrics, Topics.INQUIRY_ANSWERS, batch.size() + " answers", () -> {
            outcomes.clear();
            outcomes.addAll(answers.answerAll(batch));
        });
        if (!applied) {
            batch.forEach(this::applyAlone);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            count(batch.get(i).tenant(), outcomes.get(i));
        }
    }

    /** One answer in its own transaction, when its batch could not be applied. */
    private void applyAlone(InquiryAnswers.KafkaAnswer answer) {
        InquiryAnswers.Outcome[] outcome = {null};
        Retries.apply(metrics, Topics.INQUIRY_ANSWERS, "answer to " + answer.tenant() + "/" + answer.device() + "/"
                + answer.requestId(), () -> outcome[0] = answers.answerAll(List.of(answer)).get(0));
        if (outcome[0] != null) {
            count(answer.tenant(), outcome[0]);
        }
    }

    /** The answer, or null when the record is not one. */
    private InquiryAnswers.KafkaAnswer read(ConsumerRecord<String, byte[]> record) {
        Headers headers = record.headers();
        String tenant = CloudEventRecords.text(headers, CloudEventHeaders.TENANT);
        String device = CloudEventRecords.text(headers, CloudEventHeaders.DEVICE);
        String requestId = CloudEventRecords.text(headers, CloudEventHeaders.CORRELATION_ID);
        String typeHeader = CloudEventRecords.text(headers, CloudEventHeaders.ANSWER_TYPE);
        InquiryAnswerType type = typeHeader == null ? InquiryAnswerType.ANSWER : InquiryAnswerType.fromLevel(typeHeader);
        Duration ttl = seconds(CloudEventRecords.text(headers, CloudEventHeaders.TTL));
        if (tenant == null || device == null || requestId == null || type == null || ttl == Duration.ZERO
                || record.value() != null && record.value().length > config.maxPayloadBytes()) {
            return null;
        }
        String contentType = CloudEventRecords.text(headers, CloudEventHeaders.CONTENT_TYPE);
        String latestOnly = CloudEventRecords.text(headers, CloudEventHeaders.LATEST_ONLY);
        return new InquiryAnswers.KafkaAnswer(tenant, device, requestId, new Answer(type,
                contentType == null ? OCTET_STREAM : contentType, record.value() == null ? new byte[0] : record.value(),
                ttl, latestOnly == null ? null : Boolean.valueOf(latestOnly), "kafka"));
    }

    /** Null when absent, ZERO when not a positive number of seconds at most 7 days. */
    private static Duration seconds(String text) {
        if (text == null) {
            return null;
        }
        if (!text.matches("[0-9]{1,7}") || Long.parseLong(text) == 0 || Long.parseLong(text) > 7 * 24 * 3600) {
            return Duration.ZERO;
        }
        return Duration.ofSeconds(Long.parseLong(text));
    }

    private void count(String tenant, InquiryAnswers.Outcome outcome) {
        metrics.counter("outpost.inquiry.answers", "tenant", tenant, "source", "kafka", "outcome",
                outcome.name().toLowerCase().replace('_', '-')).increment();
    }
}
