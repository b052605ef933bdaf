package io.outpost.load;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;

import io.outpost.contracts.InquiryAnswerType;

/**
 * Many open continuing inquiries answered by a Kafka handler, on the platform only:
 * <ol>
 * <li>a {@code kafka} handler for inquiries named {@value #NAME} (answer ttl 1 h, so that no answer expires while
 * the service catches up);</li>
 * <li>{@code --devices} devices connect, subscribe to their responses and each opens one continuing inquiry
 * ({@code inquiries/subscribe/traffic/route-{i}}); then until the service has stored them all (the growth of its
 * {@code outpost_inquiry_requests_total} for the tenant; at most 10 minutes, at most one without progress), checked
 * once over REST (OPEN or STREAMING), and an idle machine;</li>
 * <li>the backend ({@link AnswerBackend}) answers every inquiry {@code --answers-per-second} times a second for
 * {@code --duration};</li>
 * <li>then until every acknowledged answer has arrived, or nothing arrived for 15 s, or {@code --drain} passed.</li>
 * </ol>
 * Each device checks its stream ({@link InquiryStreams}): new answers, out-of-order ones, duplicates by
 * {@code outpost-message-id}; the time from the backend's send to the arrival is taken for every new answer. The
 * inquiry service's resident memory is sampled every second ({@code --service-pid}) throughout. At the end its
 * answer counters tell answers it never read (still on the topic) from answers it read but did not deliver.
 */
final class ContinuingInquiries {
    static final String NAME = "traffic";
    private static final String REQUEST_PREFIX = "route-";
    private static final byte[] QUESTION = "{\"route\":\"E6\"}".getBytes(StandardCharsets.UTF_8);
    private static final Duration CONNECT_PATIENCE = Duration.ofSeconds(60);
    private static final long OPEN_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(600);
    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final InquiryOptions options;
    private final Progress progress;
    private final Fleet fleet;
    private final RestInquiries rest;
    private final InquiryStreams streams;
    private final Latencies toDevice = new Latencies(2_000_000);
    private final AtomicIntegerArray eachSecond;
    private final LongAdder connectFailed = new LongAdder();
    private final LongAdder connectRetries = new LongAdder();
    private final LongAdder openFailed = new LongAdder();
    private final LongAdder ended = new LongAdder();
    private final LongAdder unexpected = new LongAdder();
    private final LongAdder logged = new LongAdder();
    private volatile long answersStart = Long.MAX_VALUE;
    private volatile String firstProblem;

    ContinuingInquiries(InquiryOptions options, Progress progress) {
        this.options = options;
        this.progress = progress;
        this.fleet = new Fleet(options.fleetOptions(), false, 0, options.devices(), options.ports());
        this.rest = new RestInquiries(options.api(), options.tenant(), options.token());
        this.streams = new InquiryStreams(options.devices());
        this.eachSecond = new AtomicIntegerArray(
                (int) (options.duration().toSeconds() + options.drain().toSeconds()) + 30);
        for (int i = 0; i < fleet.size(); i++) {
            int device = i;
            fleet.client(i).publishes(MqttGlobalPublishFilter.ALL,
                    publish -> arrived(device, publish, System.nanoTime()));
        }
    }

    /** Runs the scenario, prints its JSON line; 0 if every answer arrived, in order, and nothing failed. */
    int run() throws Exception {
        try (ProcessMemory memory = new ProcessMemory(options.servicePid());
                AnswerBackend backend = new AnswerBackend(options.kafka(), options.tenant(), options.devices())) {
            rest.putHandler(NAME, "{\"kind\":\"kafka\",\"answerTtl\":\"1h\"}");
            double connectSeconds = fleet.connectEach(CONNECT_PATIENCE, connectRetries,
                    device -> fleet.client(device).subscribeWith()
                            .topicFilter(DeviceInquiryTopics.responses(fleet.device(device)))
                            .qos(MqttQos.AT_LEAST_ONCE).send().thenAccept(subAck -> {
                                if (subAck.getReasonCodes().stream().anyMatch(code -> code.isError())) {
                                    throw new IllegalStateException("SUBACK " + subAck.getReasonCodes());
                                }
                            }),
                    (device, error) -> {
                        connectFailed.increment();
                        problem(fleet.device(device) + " could not connect and subscribe: " + error);
                    });
            progress.log("%d devices on ports %s connected and subscribed in %.2f s (%d connects retried)",
                    fleet.size(), options.ports(), connectSeconds, connectRetries.sum());
            long openStart = System.nanoTime();
            long openedBefore = rest.opened();
            open();
            long opened = awaitOpened(openedBefore);
            double openSeconds = (System.nanoTime() - openStart) / 1e9;
            int live = rest.live(NAME);
            progress.log("%d inquiries stored in %.1f s, %d of them live; waiting for an idle machine", opened,
                    openSeconds, live);
            if (live < fleet.size()) {
                problem("only " + live + " of " + fleet.size() + " continuing inquiries are live");
            }
            double idleSeconds = MachineIdle.await(120);
            long rssAtStart = memory.sample();
            progress.log("idle after %.1f s; answering %d inquiries %.1f times a second for %.0f s", idleSeconds,
                    fleet.size(), options.answersPerSecond(), options.duration().toMillis() / 1e3);
            List<String> devices = IntStream.range(0, fleet.size()).mapToObj(fleet::device).toList();
            List<String> requestIds = IntStream.range(0, fleet.size()).mapToObj(i -> REQUEST_PREFIX + i).toList();
            answersStart = System.nanoTime();
            AnswerBackend.Run run = backend.run(devices, requestIds, options.answersPerSecond(), options.duration());
            long deliveredWhileOffered = streams.distinct();
            progress.log("backend: %d answers sent in %.1f s, %d acknowledged by Kafka, %d failed; %d delivered so far",
                    run.sent(), run.seconds(), backend.acknowledged(), backend.failed(), deliveredWhileOffered);
            String drainedBy = drain(backend);
            Map<String, Double> serviceMetrics = rest.metrics();
            long rssAtEnd = memory.sample();
            long lost = backend.acknowledged() - streams.distinct();
            // What the service did with the answers it read (outpost_inquiry_answers_total of the tenant, from Kafka):
            // offered minus all it read is what still waited on the topic when the wait ended.
            long taken = Math.round(sum(serviceMetrics, "outpost_inquiry_answers_total{", "source=\"kafka\""));
            long applied = Math.round(sum(serviceMetrics, "outpost_inquiry_answers_total{",
                    "outcome=\"applied\",source=\"kafka\""));
            long inquiriesShort = IntStream.range(0, fleet.size())
                    .filter(i -> streams.distinct(i) < backend.acknowledged(i)).count();
            long failed = connectFailed.sum() + openFailed.sum() + backend.failed() + Math.max(0, fleet.size() - live)
                    + ended.sum();
            double lastSeconds = streams.lastDistinctNanos() == Long.MIN_VALUE ? Double.NaN
                    : (streams.lastDistinctNanos() - answersStart) / 1e9;
            progress.log("delivered %d of %d answers (%s); last new one %.1f s after the first was sent; p50 %.1f ms,"
                    + " p99 %.1f ms; %d lost, %d out of order, %d duplicates; %s",
                    streams.distinct(), backend.acknowledged(), drainedBy, lastSeconds, toDevice.millis(0.5),
                    toDevice.millis(0.99), lost, streams.outOfOrder(), streams.duplicates(), memory.json());
            System.out.println(String.format(Locale.ROOT, "{\"scenario\":\"continuing\",\"target\":\"outpost\","
                    + "\"devices\":%d,\"ports\":\"%s\",\"connectSeconds\":%.2f,\"connectsRetried\":%d,"
                    + "\"connectFailed\":%d,\"openFailed\":%d,\"opened\":%d,\"openSeconds\":%.1f,\"live\":%d,"
                    + "\"idleWaitSeconds\":%.1f,\"answersPerInquiryPerSecond\":%.2f,\"produceSeconds\":%.2f,"
                    + "\"sent\":%d,\"offered\":%d,\"offeredPerSecond\":%.1f,\"produceFailed\":%d,"
                    + "\"maxProduceLagMs\":%.1f,"
                    + "\"delivered\":%d,\"deliveredPerSecond\":%s,\"deliveredWhileOffered\":%d,"
                    + "\"deliveredWhileOfferedPerSecond\":%.1f,\"lastNewAnswerSeconds\":%s,\"drainEndedBy\":\"%s\","
                    + "\"lost\":%d,\"readByService\":%d,\"appliedByService\":%d,\"unreadByService\":%d,"
                    + "\"inquiriesMissingAnswers\":%d,\"outOfOrder\":%d,\"duplicates\":%d,\"copies\":%d,"
                    + "\"received\":%d,\"withoutId\":%d,\"ended\":%d,\"unexpected\":%d,"
                    + "\"answerToDeviceP50Ms\":%s,\"answerToDeviceP95Ms\":%s,\"answerToDeviceP99Ms\":%s,"
                    + "\"answerToDeviceMaxMs\":%s,%s,\"rssAtAnswersStartMb\":%s,\"rssAtEndMb\":%s,\"failed\":%d,"
                    + "\"firstProblem\":%s,\"deliveredEachSecond\":[%s],\"serviceMetrics\":%s}",
                    fleet.size(), options.ports().stream().map(String::valueOf).collect(Collectors.joining(",")),
                    connectSeconds, connectRetries.sum(), connectFailed.sum(), openFailed.sum(), opened, openSeconds,
                    live, idleSeconds, options.answersPerSecond(), run.seconds(), run.sent(), backend.acknowledged(),
                    backend.acknowledged() / run.seconds(), backend.failed(), run.maxLagNanos() / 1e6,
                    streams.distinct(), Double.isNaN(lastSeconds) ? "null"
                            : String.format(Locale.ROOT, "%.1f", streams.distinct() / lastSeconds),
                    deliveredWhileOffered, deliveredWhileOffered / run.seconds(), Json.number(lastSeconds), drainedBy,
                    lost, taken, applied, backend.acknowledged() - taken, inquiriesShort, streams.outOfOrder(),
                    streams.duplicates(), streams.copies(),
                    streams.received(), streams.withoutId(), ended.sum(), unexpected.sum(),
                    Json.number(toDevice.millis(0.5)), Json.number(toDevice.millis(0.95)),
                    Json.number(toDevice.millis(0.99)), Json.number(toDevice.millis(1)), memory.json(),
                    ProcessMemory.mib(rssAtStart), ProcessMemory.mib(rssAtEnd), failed,
                    Json.string(firstProblem != null ? firstProblem : backend.firstFailure()), eachSecond(),
                    Json.counts(serviceMetrics)));
            fleet.disconnectAll();
            return failed == 0 && lost == 0 && streams.outOfOrder() == 0 ? 0 : 1;
        }
    }

    /** Every device opens its continuing inquiry, 500 publishes in flight at most. */
    private void open() throws InterruptedException {
        Semaphore inFlight = new Semaphore(500);
        for (int i = 0; i < fleet.size(); i++) {
            int device = i;
            inFlight.acquire();
            fleet.client(i).publishWith()
                    .topic(DeviceInquiryTopics.subscribe(fleet.device(i), NAME, REQUEST_PREFIX + i))
                    .qos(MqttQos.AT_LEAST_ONCE).contentType("application/json").payload(QUESTION).send()
                    .whenComplete((result, error) -> {
                        inFlight.release();
                        Throwable refused = error != null ? error : Fleet.refusal(result);
                        if (refused != null) {
                            openFailed.increment();
                            problem(fleet.device(device) + " could not open its inquiry: " + refused);
                        }
                    });
        }
        inFlight.acquire(500);
        inFlight.release(500);
    }

    /**
     * Waits until the service counts every inquiry stored (beyond the {@code before} it counted for the tenant), at
     * most 10 minutes and at most a minute without progress; returns how many it stored.
     */
    private long awaitOpened(long before) throws InterruptedException {
        long deadline = System.nanoTime() + OPEN_PATIENCE_NANOS;
        long opened = rest.opened() - before;
        long lastLog = System.nanoTime();
        long lastProgress = System.nanoTime();
        while (opened < fleet.size() - openFailed.sum() && System.nanoTime() < deadline
                && System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(60)) {
            Thread.sleep(1000);
            long now = rest.opened() - before;
            if (now != opened) {
                lastProgress = System.nanoTime();
            }
            opened = now;
            if (System.nanoTime() - lastLog > TimeUnit.SECONDS.toNanos(10)) {
                progress.log("%d of %d inquiries stored", opened, fleet.size());
                lastLog = System.nanoTime();
            }
        }
        return opened;
    }

    /** After the backend stopped: until every acknowledged answer arrived, 15 s without any, or the bound. */
    private String drain(AnswerBackend backend) throws InterruptedException {
        long start = System.nanoTime();
        long lastChange = start;
        long received = streams.received();
        long lastLog = start;
        long loggedDistinct = streams.distinct();
        while (true) {
            if (streams.distinct() >= backend.acknowledged()) {
                return "all";
            }
            long now = System.nanoTime();
            if (now - lastChange > QUIET_NANOS) {
                return "quiet";
            }
            if (now - start > options.drain().toNanos()) {
                return "bound";
            }
            if (now - lastLog > TimeUnit.SECONDS.toNanos(10)) {
                long distinct = streams.distinct();
                progress.log("%d of %d answers delivered, %.0f/s over the last 10 s", distinct, backend.acknowledged(),
                        (distinct - loggedDistinct) / ((now - lastLog) / 1e9));
                lastLog = now;
                loggedDistinct = distinct;
            }
            Thread.sleep(250);
            if (streams.received() != received) {
                received = streams.received();
                lastChange = System.nanoTime();
            }
        }
    }

    private void arrived(int device, Mqtt5Publish publish, long now) {
        DeviceInquiryTopics.Response response = DeviceInquiryTopics.parse(publish.getTopic().toString());
        int inquiry = response == null ? -1 : inquiryOf(response.requestId());
        if (inquiry != device) {
            unexpected.increment();
            problem("unexpected message on " + publish.getTopic());
            return;
        }
        String payload = new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
        if (response.type() != InquiryAnswerType.ANSWER) {
            ended.increment();
            problem(fleet.device(device) + "'s inquiry ended: " + response.type().level() + " " + payload);
            return;
        }
        long seq = number(payload, "seq");
        long sentAt = number(payload, "sentAt");
        if (seq < 1 || seq > Integer.MAX_VALUE || sentAt < 0) {
            unexpected.increment();
            problem("an answer without seq or sentAt: " + payload);
            return;
        }
        InquiryStreams.Arrival arrival = streams.arrived(inquiry, OutpostMessageId.of(publish), (int) seq, now);
        if (arrival == InquiryStreams.Arrival.FIRST || arrival == InquiryStreams.Arrival.OUT_OF_ORDER) {
            toDevice.record(now - sentAt);
            long second = (now - answersStart) / 1_000_000_000L;
            eachSecond.incrementAndGet((int) Math.max(0, Math.min(eachSecond.length() - 1, second)));
        }
    }

    /** The sum of the samples whose name and labels start with {@code prefix} and contain {@code label}. */
    static double sum(Map<String, Double> samples, String prefix, String label) {
        return samples.entrySet().stream()
                .filter(sample -> sample.getKey().startsWith(prefix) && sample.getKey().contains(label))
                .mapToDouble(Map.Entry::getValue).filter(value -> !Double.isNaN(value)).sum();
    }

    /** The inquiry index of a request id {@code route-{i}}; -1 for any other. */
    static int inquiryOf(String requestId) {
        if (!requestId.startsWith(REQUEST_PREFIX)) {
            return -1;
        }
        try {
            return Integer.parseInt(requestId.substring(REQUEST_PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A non-negative whole number field of a flat JSON object; -1 if it is missing or not one. */
    static long number(String json, String name) {
        String key = "\"" + name + "\":";
        int at = json.indexOf(key);
        if (at < 0) {
            return -1;
        }
        int from = at + key.length();
        int to = from;
        while (to < json.length() && Character.isDigit(json.charAt(to))) {
            to++;
        }
        try {
            return to == from ? -1 : Long.parseLong(json.substring(from, to));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** New answers per second since the backend began, trailing empty seconds left out. */
    private String eachSecond() {
        List<String> counts = new ArrayList<>();
        int last = eachSecond.length() - 1;
        while (last > 0 && eachSecond.get(last) == 0) {
            last--;
        }
        for (int second = 0; second <= last; second++) {
            counts.add(Integer.toString(eachSecond.get(second)));
        }
        return String.join(",", counts);
    }

    private void problem(String reason) {
        if (firstProblem == null) {
            firstProblem = reason;
        }
        logged.increment();
        if (logged.sum() <= 5) {
            progress.log("problem: %s", reason);
        }
    }
}
