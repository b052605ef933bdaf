package io.outpost.load;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;

/**
 * Group notifications: one send reaching many connected members, and offline members catching up in a reconnect storm.
 * <ol>
 * <li>{@code --online} devices connect and subscribe to their notifications (MQTT 5, QoS 1).</li>
 * <li>Rounds, one after the other: one notification to the group; its send is timed (POST to 202, or publish to PUBACK
 * on a broker) and so is the time until every online device has it. On the platform each round also waits until the
 * notification's progress shows every online member delivered, and counts what the send wrote: records on the
 * outbound and notification-events topics, rows inserted per table of the notification database. Every
 * round's notification but the last is then revoked, so each offline member has exactly one pending. The first
 * {@code --warm-up-rounds} rounds are not measured; {@code --spacing} seconds lie between rounds.</li>
 * <li>Storm: the online devices disconnect; then {@code --storm} offline members (the devices after the online ones)
 * connect at once and subscribe; timed until all are connected and until every one has every pending notification.</li>
 * </ol>
 * Without {@code --api}, the baseline on a plain broker: every device subscribes to
 * {@code groups/{group}/notifications/#}, a backend client publishes each round there at QoS 1, and the storm devices
 * hold persistent sessions (subscribed, then disconnected) in which the broker queues the one pending message.
 * Prints one JSON line; progress on standard error. Exit code 1 if anything failed or did not arrive.
 */
public final class NotificationLoad {
    private static final String TOPIC = "alerts/";
    private static final String STORM_TOPIC = "storm";
    private static final long ROUND_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long STORM_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final Duration CONNECT_PATIENCE = Duration.ofSeconds(60);

    private final NotificationOptions options;
    private final int total;
    private final Fleet online;
    private final Fleet storm;
    /** Per round (and one more slot: the broker storm's message), its arrivals at the online and the storm fleet. */
    private final Arrivals[] atOnline;
    private final Arrivals[] atStorm;
    private final LongAdder withoutId = new LongAdder();
    private final LongAdder unexpected = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder connectRetries = new LongAdder();
    private final Latencies send = new Latencies(1000);
    private final Latencies fanOut = new Latencies(1000);
    private final Latencies progress = new Latencies(1000);
    private final List<String> roundsJson = new ArrayList<>();
    private final List<PlatformCounters.Snapshot> written = new ArrayList<>();
    private final List<Integer> pending = new ArrayList<>();
    private final Progress console = new Progress();
    private long groupMembers = -1;

    private NotificationLoad(NotificationOptions options) {
        this.options = options;
        this.total = options.warmUpRounds() + options.rounds();
        LoadOptions fleetOptions = options.fleetOptions();
        this.online = new Fleet(fleetOptions, false, 0, options.online());
        this.storm = new Fleet(fleetOptions, !options.platform(), options.online(), options.storm());
        this.atOnline = new Arrivals[total + 1];
        this.atStorm = new Arrivals[total + 1];
        for (int slot = 0; slot <= total; slot++) {
            atOnline[slot] = new Arrivals(online.size());
            atStorm[slot] = new Arrivals(storm.size());
        }
        listen(online, atOnline);
        listen(storm, atStorm);
    }

    public static void main(String[] args) throws Exception {
        NotificationOptions options;
        try {
            options = NotificationOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(NotificationOptions.USAGE);
            System.exit(2);
            return;
        }
        System.exit(new NotificationLoad(options).run());
    }

    private int run() throws Exception {
        double connectSeconds = connect(online, true);
        long onlineRetries = connectRetries.sum();
        log("%d devices connected and subscribed in %.2f s (%d connects retried); waiting for an idle machine",
                online.size(), connectSeconds, onlineRetries);
        log("idle after %.1f s", MachineIdle.await(120));
        if (options.platform()) {
            platformRounds();
        } else {
            brokerRounds();
        }
        // The online devices go before the storm: a process may hold at most 20,000 open files on the project's
        // machines (a hard limit the bench cannot raise), so neither the bridge nor this tool can hold both fleets.
        online.disconnectAll();
        if (!options.platform()) {
            prepareBrokerStorm();
        }
        System.out.println(report(connectSeconds, onlineRetries, storm.size() == 0 ? null : storm()));
        storm.disconnectAll();
        return failed.sum() == 0 ? 0 : 1;
    }

    private void platformRounds() throws Exception {
        RestNotifications rest = new RestNotifications(options.api(), options.tenant(), options.token());
        PlatformCounters counters = options.kafka() == null || options.database() == null ? null
                : new PlatformCounters(options.kafka(), List.of("outpost.outbound.v1", "outpost.notification-events.v1"),
                        options.database(), options.databaseUser(), options.databasePassword());
        for (int round = 0; round < total; round++) {
            PlatformCounters.Snapshot before = counters == null ? null : counters.quiet(1000, 15_000);
            long start = System.nanoTime();
            RestNotifications.Sent sent = rest.sendToGroup(options.group(), TOPIC + "r" + round,
                    "{\"round\":" + round + ",\"level\":\"bench\"}", "1h");
            long sendNanos = System.nanoTime() - start;
            if (!sent.accepted()) {
                fail("round " + round + ": the send answered " + sent.status() + " " + sent.body());
                continue;
            }
            groupMembers = sent.addressed();
            double fanOutSeconds = awaitOnline(round, start);
            double progressSeconds = awaitProgress(rest, sent.id(), start);
            PlatformCounters.Snapshot delta = counters == null ? null : counters.quiet(1000, 15_000).minus(before);
            if (round < total - 1) {
                if (!rest.revoke(sent.id())) {
                    fail("round " + round + ": the revoke of " + sent.id() + " failed; it stays pending");
                    pending.add(round);
                }
            } else {
                pending.add(round);
            }
            record(round, sendNanos, fanOutSeconds, progressSeconds, delta);
            Thread.sleep(options.spacing().toMillis());
        }
        if (counters != null) {
            counters.close();
        }
    }

    private void brokerRounds() throws Exception {
        Mqtt5AsyncClient backend = Mqtt5Client.builder().identifier("notification-backend")
                .serverHost(options.host()).serverPort(options.port()).buildAsync();
        backend.connect().join();
        for (int round = 0; round < total; round++) {
            long start = System.nanoTime();
            if (!publish(backend, TOPIC + "r" + round, round)) {
                continue;
            }
            long sendNanos = System.nanoTime() - start;
            record(round, sendNanos, awaitOnline(round, start), Double.NaN, null);
            Thread.sleep(options.spacing().toMillis());
        }
        backend.disconnect().join();
    }

    /**
     * The broker's offline members: persistent sessions that subscribed and went away, then one QoS 1 message that the
     * broker queues for each of them.
     */
    private void prepareBrokerStorm() throws Exception {
        if (storm.size() == 0) {
            return;
        }
        connect(storm, true);
        storm.disconnectAll();
        Mqtt5AsyncClient backend = Mqtt5Client.builder().identifier("notification-backend")
                .serverHost(options.host()).serverPort(options.port()).buildAsync();
        backend.connect().join();
        if (publish(backend, TOPIC + STORM_TOPIC, total)) {
            pending.add(total);
        }
        backend.disconnect().join();
    }

    private boolean publish(Mqtt5AsyncClient backend, String topic, int round) {
        var result = backend.publishWith().topic("groups/" + options.group() + "/notifications/" + topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(("{\"round\":" + round + ",\"level\":\"bench\"}").getBytes(StandardCharsets.UTF_8))
                .send().join();
        if (result.getError().isPresent()) {
            fail("round " + round + ": the publish failed: " + result.getError().get());
            return false;
        }
        return true;
    }

    /** Seconds from {@code start} until the last online device had the round's message; NaN if not all did. */
    private double awaitOnline(int round, long start) throws InterruptedException {
        Arrivals arrivals = atOnline[round];
        if (!arrivals.awaitAll(start + ROUND_TIMEOUT_NANOS)) {
            fail("round " + round + ": " + arrivals.devices() + " of " + online.size()
                    + " online devices got it within 60 s");
            return Double.NaN;
        }
        return (arrivals.lastNanos() - start) / 1e9;
    }

    /** Seconds from {@code start} until progress.delivered counts every online device; NaN if not within 60 s. */
    private double awaitProgress(RestNotifications rest, String id, long start) throws Exception {
        long deadline = start + ROUND_TIMEOUT_NANOS;
        long delivered = -1;
        while (System.nanoTime() < deadline) {
            delivered = rest.delivered(id);
            if (delivered >= online.size()) {
                return (System.nanoTime() - start) / 1e9;
            }
            Thread.sleep(100);
        }
        fail("notification " + id + ": progress shows " + delivered + " delivered of " + online.size()
                + " online members after 60 s");
        return Double.NaN;
    }

    private void record(int round, long sendNanos, double fanOutSeconds, double progressSeconds,
            PlatformCounters.Snapshot delta) {
        boolean measured = round >= options.warmUpRounds();
        String writes = delta == null ? "" : String.format(Locale.ROOT, ", outbound +%d, events +%d, rows %s",
                delta.records().getOrDefault("outpost.outbound.v1", 0L),
                delta.records().getOrDefault("outpost.notification-events.v1", 0L), nonZero(delta.rows()));
        log("%s %d: send %.1f ms, all %d online in %.3f s, progress %.3f s%s",
                measured ? "round" : "warm-up", round, sendNanos / 1e6, online.size(), fanOutSeconds, progressSeconds,
                writes);
        if (!measured) {
            return;
        }
        send.record(sendNanos);
        if (!Double.isNaN(fanOutSeconds)) {
            fanOut.record((long) (fanOutSeconds * 1e9));
        }
        if (!Double.isNaN(progressSeconds)) {
            progress.record((long) (progressSeconds * 1e9));
        }
        if (delta != null) {
            written.add(delta);
        }
        roundsJson.add(String.format(Locale.ROOT, "{\"round\":%d,\"ms\":%.2f,\"allOnline\":%s,\"progress\":%s%s}",
                round, sendNanos / 1e6, number(fanOutSeconds), number(progressSeconds), delta == null ? ""
                        : ",\"outbound\":" + delta.records().getOrDefault("outpost.outbound.v1", 0L) + ",\"events\":"
                                + delta.records().getOrDefault("outpost.notification-events.v1", 0L) + ",\"rows\":"
                                + json(nonZero(delta.rows()))));
    }

    /** The storm's figures: seconds until all were connected (and subscribed), and until all had every pending one. */
    private record Storm(double connectedSeconds, double deliveredSeconds, String json) {
    }

    /** The storm: every storm device connects at once (and on the platform subscribes). */
    private Storm storm() throws Exception {
        log("storm: %d offline members, pending rounds %s; waiting for an idle machine", storm.size(), pending);
        log("idle after %.1f s", MachineIdle.await(120));
        connectRetries.reset();
        long start = System.nanoTime();
        connect(storm, options.platform());
        double reconnected = (System.nanoTime() - start) / 1e9;
        long last = Long.MIN_VALUE;
        int complete = 0;
        for (int slot : pending) {
            if (atStorm[slot].awaitAll(start + STORM_TIMEOUT_NANOS)) {
                complete++;
            } else {
                fail("storm: " + atStorm[slot].devices() + " of " + storm.size() + " devices got pending round " + slot);
            }
            last = Math.max(last, atStorm[slot].lastNanos());
        }
        double delivered = complete == pending.size() && !pending.isEmpty() ? (last - start) / 1e9 : Double.NaN;
        long arrived = pending.stream().mapToLong(slot -> atStorm[slot].devices()).sum();
        log("storm: all connected in %.2f s, %d pending deliveries in %.2f s", reconnected,
                arrived, delivered);
        return new Storm(reconnected, delivered, String.format(Locale.ROOT, "{\"devices\":%d,\"pendingEach\":%d,"
                + "\"arrivedInStorm\":%d,\"retriedConnects\":%d}", storm.size(), pending.size(), arrived,
                connectRetries.sum()));
    }

    private String report(double connectSeconds, long onlineRetries, Storm storm) {
        long duplicates = 0;
        for (int slot = 0; slot <= total; slot++) {
            duplicates += atOnline[slot].duplicates() + atStorm[slot].duplicates();
        }
        String counts = "\"recordsPerSend\":null,\"outboundRecordsPerSend\":null,\"eventRecordsPerSend\":null,"
                + "\"sendRowsPerSend\":null,\"deliveryRowsPerSend\":null,\"insertsPerSend\":null,";
        if (!written.isEmpty()) {
            Map<String, Long> records = median(written, PlatformCounters.Snapshot::records);
            Map<String, Long> inserts = nonZero(median(written, PlatformCounters.Snapshot::rows));
            long outbound = records.getOrDefault("outpost.outbound.v1", 0L);
            long events = records.getOrDefault("outpost.notification-events.v1", 0L);
            // notification_delivery holds one row per member reached (from the receipts), the rest is the send's.
            long deliveryRows = inserts.getOrDefault("notification_delivery", 0L);
            long sendRows = inserts.entrySet().stream().filter(entry -> !entry.getKey().equals("notification_delivery"))
                    .mapToLong(Map.Entry::getValue).sum();
            counts = String.format(Locale.ROOT, "\"recordsPerSend\":%d,\"outboundRecordsPerSend\":%d,"
                    + "\"eventRecordsPerSend\":%d,\"sendRowsPerSend\":%d,\"deliveryRowsPerSend\":%d,"
                    + "\"insertsPerSend\":%s,", outbound + events, outbound, events, sendRows, deliveryRows,
                    json(inserts));
        }
        return String.format(Locale.ROOT, "{\"scenario\":\"notifications\",\"target\":\"%s\",\"groupMembers\":%s,"
                + "\"online\":%d,\"connectSeconds\":%.2f,\"connectsRetried\":%d,\"rounds\":%d,\"warmUpRounds\":%d,\"spacingSeconds\":%.1f,"
                + "\"sendP50Ms\":%s,\"sendP99Ms\":%s,\"sendMaxMs\":%s,"
                + "\"allOnlineP50Seconds\":%s,\"allOnlineP99Seconds\":%s,\"allOnlineMaxSeconds\":%s,"
                + "\"progressP50Seconds\":%s,\"progressMaxSeconds\":%s,%s"
                + "\"stormConnectedSeconds\":%s,\"stormDeliveredSeconds\":%s,\"storm\":%s,"
                + "\"duplicates\":%d,\"withoutId\":%d,\"unexpected\":%d,\"failed\":%d,\"detail\":[%s]}",
                options.platform() ? "outpost" : "broker", groupMembers < 0 ? "null" : Long.toString(groupMembers),
                online.size(), connectSeconds, onlineRetries, options.rounds(), options.warmUpRounds(),
                options.spacing().toMillis() / 1e3, number(send.millis(0.5)), number(send.millis(0.99)),
                number(send.millis(1)), number(fanOut.millis(0.5) / 1e3), number(fanOut.millis(0.99) / 1e3),
                number(fanOut.millis(1) / 1e3), number(progress.millis(0.5) / 1e3), number(progress.millis(1) / 1e3),
                counts, storm == null ? "null" : number(storm.connectedSeconds()),
                storm == null ? "null" : number(storm.deliveredSeconds()), storm == null ? "null" : storm.json(), duplicates, withoutId.sum(), unexpected.sum(),
                failed.sum(), String.join(",", roundsJson));
    }

    /** Connects every device of the fleet, retrying refusals for a minute, and subscribes; returns the seconds. */
    private double connect(Fleet fleet, boolean subscribe) throws InterruptedException {
        return fleet.connectEach(CONNECT_PATIENCE, connectRetries, subscribe ? device -> subscribe(fleet, device) : null,
                (device, error) -> fail(fleet.device(device) + ": " + error));
    }

    private CompletableFuture<Void> subscribe(Fleet fleet, int device) {
        String filter = options.filter(fleet.device(device));
        return fleet.client(device).subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send()
                .thenAccept(subAck -> {
                    if (subAck.getReasonCodes().stream().anyMatch(code -> code.isError())) {
                        throw new IllegalStateException("SUBACK " + subAck.getReasonCodes() + " for " + filter);
                    }
                });
    }

    /** Every message a device of the fleet receives (also from a broker's persistent session) is counted by round. */
    private void listen(Fleet fleet, Arrivals[] arrivals) {
        for (int i = 0; i < fleet.size(); i++) {
            int device = i;
            fleet.client(i).publishes(MqttGlobalPublishFilter.ALL, publish -> {
                long now = System.nanoTime();
                int slot = slot(publish.getTopic().toString(), total);
                if (slot < 0) {
                    unexpected.increment();
                    return;
                }
                if (options.platform() && OutpostMessageId.of(publish) == null) {
                    withoutId.increment();
                }
                arrivals[slot].arrived(device, now);
            });
        }
    }

    /** The round of a message's topic ({@code .../alerts/r{n}}, or the broker storm's {@code .../alerts/storm}). */
    static int slot(String topic, int total) {
        String last = topic.substring(topic.lastIndexOf('/') + 1);
        if (last.equals(STORM_TOPIC)) {
            return total;
        }
        if (last.length() < 2 || last.charAt(0) != 'r') {
            return -1;
        }
        try {
            int round = Integer.parseInt(last.substring(1));
            return round >= 0 && round < total ? round : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void log(String format, Object... arguments) {
        console.log(format, arguments);
    }

    private void fail(String reason) {
        failed.increment();
        if (failed.sum() <= 5) {
            log("failed: %s", reason);
        }
    }

    /** Per key, the median (lower middle) of its values over the snapshots. */
    static Map<String, Long> median(List<PlatformCounters.Snapshot> snapshots,
            Function<PlatformCounters.Snapshot, Map<String, Long>> counts) {
        TreeSet<String> keys = snapshots.stream().flatMap(snapshot -> counts.apply(snapshot).keySet().stream())
                .collect(Collectors.toCollection(TreeSet::new));
        Map<String, Long> medians = new TreeMap<>();
        for (String key : keys) {
            List<Long> values = snapshots.stream().map(snapshot -> counts.apply(snapshot).getOrDefault(key, 0L))
                    .sorted().toList();
            medians.put(key, values.get((values.size() - 1) / 2));
        }
        return medians;
    }

    private static Map<String, Long> nonZero(Map<String, Long> counts) {
        Map<String, Long> nonZero = new TreeMap<>();
        counts.forEach((key, value) -> {
            if (value != 0) {
                nonZero.put(key, value);
            }
        });
        return nonZero;
    }

    private static String json(Map<String, Long> counts) {
        return counts.entrySet().stream().map(entry -> "\"" + entry.getKey() + "\":" + entry.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "null" : String.format(Locale.ROOT, "%.3f", value);
    }
}
