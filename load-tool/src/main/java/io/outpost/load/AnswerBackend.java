package io.outpost.load;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.InquiryAnswerType;
import io.outpost.contracts.Topics;

/**
 * A tenant's backend answering continuing inquiries on {@code outpost.inquiry-answers.v1} as a Kafka handler does
 * (docs/inquiry-api.md): key {@code {tenant}/{device}}, CloudEvents headers, {@code ce_correlationid} the device's
 * request id, {@code ce_answertype: answer}, value {@code {"seq":n,"sentAt":nanos}} where {@code sentAt} is this JVM's
 * {@link System#nanoTime()} at the send (the devices are simulated in the same process, so the clocks agree). Paced:
 * answer {@code seq} of every inquiry in turn, spread evenly over each period; a send that falls behind goes at once
 * (the offered rate is what was sent, not what was planned). Idempotent producer, {@code acks=all}: what Kafka
 * acknowledged is offered, in order per device.
 */
final class AnswerBackend implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final String tenant;
    private final AtomicIntegerArray acknowledged;
    private final LongAdder acknowledgedTotal = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile String firstFailure;

    /** What a run sent: records handed to the producer, seconds from the first to the last, the worst lateness. */
    record Run(long sent, double seconds, long maxLagNanos) {
    }

    AnswerBackend(String bootstrap, String tenant, int inquiries) {
        this.tenant = tenant;
        this.acknowledged = new AtomicIntegerArray(inquiries);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.CLIENT_ID_CONFIG, "inquiry-bench-backend", ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true", ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.BATCH_SIZE_CONFIG, "65536"), new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Answers inquiry {@code i} (device {@code devices.get(i)}, request id {@code requestIds.get(i)}) {@code perSecond}
     * times a second for {@code duration}, then waits until Kafka acknowledged or refused every record.
     */
    Run run(List<String> devices, List<String> requestIds, double perSecond, Duration duration) {
        int inquiries = devices.size();
        double period = 1e9 / (inquiries * perSecond);
        long count = (long) (duration.toNanos() / period);
        long start = System.nanoTime();
        long maxLag = 0;
        for (long j = 0; j < count; j++) {
            long due = start + (long) (j * period);
            long early = due - System.nanoTime();
            if (early > 1_000_000) {
                LockSupport.parkNanos(early);
            }
            maxLag = Math.max(maxLag, System.nanoTime() - due);
            int inquiry = (int) (j % inquiries);
            send(inquiry, devices.get(inquiry), requestIds.get(inquiry), (int) (j / inquiries) + 1);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        producer.flush();
        return new Run(count, seconds, maxLag);
    }

    private void send(int inquiry, String device, String requestId, int seq) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        header(headers, CloudEventHeaders.ID, tenant + "/" + device + "/" + requestId + "/" + seq);
        header(headers, CloudEventHeaders.SOURCE, "inquiry-bench");
        header(headers, CloudEventHeaders.TYPE, CloudEventTypes.INQUIRY_ANSWER);
        header(headers, CloudEventHeaders.TENANT, tenant);
        header(headers, CloudEventHeaders.DEVICE, device);
        header(headers, CloudEventHeaders.CORRELATION_ID, requestId);
        header(headers, CloudEventHeaders.ANSWER_TYPE, InquiryAnswerType.ANSWER.level());
        header(headers, CloudEventHeaders.CONTENT_TYPE, "application/json");
        byte[] value = ("{\"seq\":" + seq + ",\"sentAt\":" + System.nanoTime() + "}").getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(Topics.INQUIRY_ANSWERS, null, tenant + "/" + device, value, headers),
                (metadata, error) -> {
                    if (error == null) {
                        acknowledged.incrementAndGet(inquiry);
                        acknowledgedTotal.increment();
                    } else {
                        failed.increment();
                        if (firstFailure == null) {
                            firstFailure = error.toString();
                        }
                    }
                });
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Answers Kafka acknowledged: offered to the service. */
    long acknowledged() {
        return acknowledgedTotal.sum();
    }

    /** Answers Kafka acknowledged for inquiry {@code i}. */
    int acknowledged(int inquiry) {
        return acknowledged.get(inquiry);
    }

    long failed() {
        return failed.sum();
    }

    String firstFailure() {
        return firstFailure;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
