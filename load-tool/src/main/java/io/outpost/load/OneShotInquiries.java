package io.outpost.load;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;

import io.outpost.contracts.InquiryAnswerType;

/**
 * One-shot inquiries at a fixed rate, open loop: request {@code n} is due {@code n / rate} seconds after the start,
 * whatever became of the ones before, and goes to device {@code n mod devices} (so every device asks every
 * {@code devices / rate} seconds). The round trip is timed from the moment it was due to the answer's arrival at the
 * device, matched by the request id in the response topic; a publish that leaves late pays for its lateness.
 * <p>
 * On the platform ({@code --api}) the tool is the tenant's webhook too ({@link BenchWebhook}, registered as the
 * handler of inquiries named {@value #NAME}): device publish, bridge, Kafka, inquiry service, webhook call, answer
 * stored in the mailbox, Kafka, bridge, device. On a plain broker (the baseline) a responder client subscribed to
 * every request topic answers on the request's MQTT 5 response topic with its correlation data.
 * <p>
 * A warm-up at the same rate (not measured) and a wait for an idle machine come first. After each phase, answers still
 * on their way have up to 90 s to arrive, as long as some arrive every 15 s; what has not by then is missing. On the
 * platform the round trip is also split at the webhook's call: due -> call and call -> answer at the device.
 */
final class OneShotInquiries {
    static final String NAME = "forecast";
    private static final byte[] QUESTION = "{\"city\":\"Bern\"}".getBytes(StandardCharsets.UTF_8);
    private static final String ANSWER = "{\"city\":\"Bern\",\"sky\":\"clear\",\"temperatureC\":10}";
    private static final String JSON = "application/json";
    private static final Duration CONNECT_PATIENCE = Duration.ofSeconds(60);
    private static final long STRAGGLERS_NANOS = TimeUnit.SECONDS.toNanos(90);
    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(15);

    /** The counts of one phase (warm-up, measured). */
    private static final class Phase {
        final LongAdder sent = new LongAdder();
        final LongAdder answered = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder publishFailed = new LongAdder();
        final AtomicLong outstanding = new AtomicLong();
        final AtomicLong maxLagNanos = new AtomicLong();
        final Latencies roundTrip = new Latencies(1_000_000);
        /** On the platform: due -> the webhook's call, and the call -> the answer at the device. */
        final Latencies toWebhook = new Latencies(1_000_000);
        final Latencies fromWebhook = new Latencies(1_000_000);
        double seconds;
    }

    private record Pending(long dueNanos, Phase phase) {
    }

    private final InquiryOptions options;
    private final Progress progress;
    private final Fleet fleet;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Phase warmUp = new Phase();
    private final Phase measured = new Phase();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder unexpected = new LongAdder();
    private final LongAdder notLast = new LongAdder();
    private final LongAdder connectFailed = new LongAdder();
    private final LongAdder connectRetries = new LongAdder();
    private final LongAdder logged = new LongAdder();
    private volatile String firstError;
    private volatile BenchWebhook webhook;
    private long next;

    OneShotInquiries(InquiryOptions options, Progress progress) {
        this.options = options;
        this.progress = progress;
        this.fleet = new Fleet(options.fleetOptions(), false, 0, options.devices(), options.ports());
        for (int i = 0; i < fleet.size(); i++) {
            fleet.client(i).publishes(MqttGlobalPublishFilter.ALL, publish -> arrived(publish, System.nanoTime()));
        }
    }

    /** Runs the scenario, prints its JSON line; 0 if every inquiry got its answer and nothing failed. */
    int run() throws Exception {
        Mqtt5AsyncClient responder = null;
        RestInquiries rest = null;
        if (options.platform()) {
            webhook = new BenchWebhook(ANSWER);
            rest = new RestInquiries(options.api(), options.tenant(), options.token());
            rest.putHandler(NAME,
                    "{\"kind\":\"webhook\",\"url\":\"" + webhook.url() + "\",\"secret\":\"" + webhook.secret() + "\"}");
            progress.log("webhook %s registered for inquiries named %s", webhook.url(), NAME);
        } else {
            responder = responder();
        }
        double connectSeconds = fleet.connectEach(CONNECT_PATIENCE, connectRetries,
                device -> fleet.client(device).subscribeWith()
                        .topicFilter(DeviceInquiryTopics.responses(fleet.device(device))).qos(MqttQos.AT_LEAST_ONCE)
                        .send().thenAccept(subAck -> {
                            if (subAck.getReasonCodes().stream().anyMatch(code -> code.isError())) {
                                throw new IllegalStateException("SUBACK " + subAck.getReasonCodes());
                            }
                        }),
                (device, error) -> {
                    connectFailed.increment();
                    fail(fleet.device(device) + " could not connect and subscribe: " + error);
                });
        progress.log("%d devices on ports %s connected and subscribed in %.2f s (%d connects retried)", fleet.size(),
                options.ports(), connectSeconds, connectRetries.sum());
        if (!options.warmUp().isZero()) {
            paced("w", options.warmUp(), warmUp);
            awaitAnswers(warmUp);
            progress.log("warm-up: %d asked, %d answered, %d errors, %d missing", warmUp.sent.sum(),
                    warmUp.answered.sum(), warmUp.errors.sum(), warmUp.outstanding.get());
        }
        double idleSeconds = MachineIdle.await(120);
        progress.log("idle after %.1f s; measuring %.0f s at %.0f inquiries/s", idleSeconds,
                options.duration().toMillis() / 1e3, options.rate());
        paced("m", options.duration(), measured);
        double stragglerSeconds = awaitAnswers(measured);
        progress.log("measured: %d asked, %d answered (p50 %.2f ms, p99 %.2f ms), %d errors, %d missing after"
                + " waiting %.1f s for the last ones", measured.sent.sum(), measured.answered.sum(),
                measured.roundTrip.millis(0.5), measured.roundTrip.millis(0.99), measured.errors.sum(),
                measured.outstanding.get(), stragglerSeconds);
        if (webhook != null) {
            progress.log("split at the webhook call: due -> call p50 %.2f ms, p99 %.2f ms; call -> device p50 %.2f ms,"
                    + " p99 %.2f ms", measured.toWebhook.millis(0.5), measured.toWebhook.millis(0.99),
                    measured.fromWebhook.millis(0.5), measured.fromWebhook.millis(0.99));
        }
        Map<String, Double> serviceMetrics = rest == null ? Map.of() : rest.metrics();
        long failed = connectFailed.sum() + warmUp.errors.sum() + warmUp.outstanding.get()
                + warmUp.publishFailed.sum() + measured.errors.sum() + measured.outstanding.get()
                + measured.publishFailed.sum() + (webhook == null ? 0 : webhook.refused());
        System.out.println(report(connectSeconds, idleSeconds, stragglerSeconds, failed, serviceMetrics));
        fleet.disconnectAll();
        if (webhook != null) {
            webhook.close();
        }
        if (responder != null) {
            responder.disconnect().join();
        }
        return failed == 0 ? 0 : 1;
    }

    /** Asks at {@code --rate} per second for {@code length}, open loop. */
    private void paced(String prefix, Duration length, Phase phase) {
        long period = Math.round(1e9 / options.rate());
        long count = length.toNanos() / period;
        long start = System.nanoTime();
        for (long n = 0; n < count; n++) {
            long due = start + n * period;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            long lag = System.nanoTime() - due;
            phase.maxLagNanos.accumulateAndGet(lag, Math::max);
            ask((int) (next++ % fleet.size()), prefix + n, due, phase);
        }
        phase.seconds = (System.nanoTime() - start) / 1e9;
    }

    private void ask(int index, String requestId, long due, Phase phase) {
        String device = fleet.device(index);
        pending.put(requestId, new Pending(due, phase));
        phase.outstanding.incrementAndGet();
        phase.sent.increment();
        var publish = fleet.client(index).publishWith().topic(DeviceInquiryTopics.request(device, NAME, requestId))
                .qos(MqttQos.AT_LEAST_ONCE).contentType(JSON).payload(QUESTION);
        if (!options.platform()) {
            publish = publish.responseTopic(DeviceInquiryTopics.response(device, requestId, InquiryAnswerType.LAST))
                    .correlationData(requestId.getBytes(StandardCharsets.UTF_8));
        }
        publish.send().whenComplete((result, error) -> {
            Throwable refused = error != null ? error : Fleet.refusal(result);
            if (refused != null && pending.remove(requestId) != null) {
                phase.outstanding.decrementAndGet();
                phase.publishFailed.increment();
                fail(device + ": the publish of " + requestId + " failed: " + refused);
            }
        });
    }

    private void arrived(Mqtt5Publish publish, long now) {
        DeviceInquiryTopics.Response response = DeviceInquiryTopics.parse(publish.getTopic().toString());
        if (response == null) {
            unexpected.increment();
            return;
        }
        Pending asked = pending.remove(response.requestId());
        if (asked == null) {
            duplicates.increment();
            return;
        }
        asked.phase.outstanding.decrementAndGet();
        if (response.type() == InquiryAnswerType.ERROR) {
            asked.phase.errors.increment();
            if (firstError == null) {
                firstError = response.requestId() + ": "
                        + new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
                progress.log("error answer: %s", firstError);
            }
            return;
        }
        if (response.type() != InquiryAnswerType.LAST) {
            notLast.increment();
        }
        asked.phase.answered.increment();
        asked.phase.roundTrip.record(now - asked.dueNanos);
        Long called = webhook == null ? null : webhook.calledAt(response.requestId());
        if (called != null) {
            asked.phase.toWebhook.record(called - asked.dueNanos);
            asked.phase.fromWebhook.record(now - called);
        }
    }

    /**
     * Waits until every inquiry of the phase has its answer (or error), at most 90 s (a one-shot inquiry lives a
     * minute) and at most 15 s without any arriving; returns the seconds waited.
     */
    private double awaitAnswers(Phase phase) throws InterruptedException {
        long start = System.nanoTime();
        long outstanding = phase.outstanding.get();
        long lastChange = start;
        while (outstanding > 0 && System.nanoTime() - start < STRAGGLERS_NANOS
                && System.nanoTime() - lastChange < QUIET_NANOS) {
            Thread.sleep(20);
            if (phase.outstanding.get() != outstanding) {
                outstanding = phase.outstanding.get();
                lastChange = System.nanoTime();
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** The baseline's answering side: a client on the broker that answers every request on its response topic. */
    private Mqtt5AsyncClient responder() {
        byte[] answer = ANSWER.getBytes(StandardCharsets.UTF_8);
        Mqtt5AsyncClient responder = Mqtt5Client.builder().identifier("inquiry-responder").serverHost(options.host())
                .serverPort(options.ports().get(0)).buildAsync();
        responder.connect().join();
        responder.subscribeWith().topicFilter("devices/+/inquiries/request/+/+").qos(MqttQos.AT_LEAST_ONCE)
                .callback(request -> request.getResponseTopic().ifPresent(topic -> {
                    var reply = responder.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).contentType(JSON)
                            .payload(answer);
                    if (request.getCorrelationData().isPresent()) {
                        reply = reply.correlationData(request.getCorrelationData().get());
                    }
                    reply.send();
                })).send().join();
        return responder;
    }

    /** The JSON line; {@code failed} counts connects, publishes, errors, missing answers and refused webhook calls. */
    private String report(double connectSeconds, double idleSeconds, double stragglerSeconds, long failed,
            Map<String, Double> serviceMetrics) {
        return String.format(Locale.ROOT, "{\"scenario\":\"one-shot\",\"target\":\"%s\",\"devices\":%d,"
                + "\"ports\":\"%s\","
                + "\"ratePerSecond\":%.1f,\"connectSeconds\":%.2f,\"connectsRetried\":%d,\"connectFailed\":%d,"
                + "\"warmUpSent\":%d,\"warmUpAnswered\":%d,\"warmUpErrors\":%d,\"warmUpMissing\":%d,"
                + "\"warmUpPublishFailed\":%d,\"idleWaitSeconds\":%.1f,\"seconds\":%.2f,\"sent\":%d,"
                + "\"sentPerSecond\":%.1f,\"answered\":%d,\"errors\":%d,\"missing\":%d,\"publishFailed\":%d,"
                + "\"stragglerWaitSeconds\":%.1f,\"roundTripP50Ms\":%s,\"roundTripP95Ms\":%s,\"roundTripP99Ms\":%s,"
                + "\"roundTripP999Ms\":%s,\"roundTripMaxMs\":%s,\"toWebhookP50Ms\":%s,\"toWebhookP99Ms\":%s,"
                + "\"fromWebhookP50Ms\":%s,\"fromWebhookP99Ms\":%s,\"maxSendLagMs\":%.2f,\"duplicates\":%d,"
                + "\"notLast\":%d,\"unexpected\":%d,\"webhookAnswered\":%s,\"webhookRefused\":%s,\"failed\":%d,"
                + "\"firstError\":%s,\"serviceMetrics\":%s}",
                options.platform() ? "outpost" : "broker", fleet.size(),
                options.ports().stream().map(String::valueOf).collect(Collectors.joining(",")), options.rate(),
                connectSeconds, connectRetries.sum(), connectFailed.sum(), warmUp.sent.sum(), warmUp.answered.sum(),
                warmUp.errors.sum(), warmUp.outstanding.get(), warmUp.publishFailed.sum(), idleSeconds,
                measured.seconds, measured.sent.sum(), measured.sent.sum() / measured.seconds,
                measured.answered.sum(), measured.errors.sum(), measured.outstanding.get(),
                measured.publishFailed.sum(), stragglerSeconds, Json.number(measured.roundTrip.millis(0.5)),
                Json.number(measured.roundTrip.millis(0.95)), Json.number(measured.roundTrip.millis(0.99)),
                Json.number(measured.roundTrip.millis(0.999)), Json.number(measured.roundTrip.millis(1)),
                Json.number(measured.toWebhook.millis(0.5)), Json.number(measured.toWebhook.millis(0.99)),
                Json.number(measured.fromWebhook.millis(0.5)), Json.number(measured.fromWebhook.millis(0.99)),
                measured.maxLagNanos.get() / 1e6, duplicates.sum(), notLast.sum(), unexpected.sum(),
                webhook == null ? "null" : Long.toString(webhook.answered()),
                webhook == null ? "null" : Long.toString(webhook.refused()), failed, Json.string(firstError),
                Json.counts(serviceMetrics));
    }

    /** Logs the first five failures; they are counted where they happen. */
    private void fail(String reason) {
        logged.increment();
        if (logged.sum() <= 5) {
            progress.log("failed: %s", reason);
        }
    }
}
