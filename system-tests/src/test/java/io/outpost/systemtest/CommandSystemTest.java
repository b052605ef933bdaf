package io.outpost.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.outpost.systemtest.CommandApi.Answer;
import io.outpost.systemtest.CommandDevice.Behaviour;
import io.outpost.systemtest.OtlpReceiver.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span;
import io.outpost.testsupport.RegistryRecords;

/**
 * Commands end to end: the command service and two bridge nodes as real processes, on real Kafka and PostgreSQL,
 * with a real MQTT client as the device. The command service and node 1 have tracing switched on (its one setting),
 * exporting to a receiver here; node 2 is told where to export but keeps tracing's default, off.
 */
class CommandSystemTest {
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static BridgeNode node1;
    private static BridgeNode node2;
    private static CommandServiceNode commands;
    private static OtlpReceiver traces;

    @BeforeAll
    static void start() {
        traces = OtlpReceiver.start();
        node1 = BridgeNode.start("command-node-1", traces.tracingOn());
        Map<String, String> exporterOnly = new HashMap<>(traces.tracingOn());
        exporterOnly.remove("quarkus.otel.sdk.disabled");
        node2 = BridgeNode.start("command-node-2", exporterOnly);
        commands = CommandServiceNode.start("command-service", Databases.create("commands"), traces.tracingOn());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (commands != null) {
            commands.close();
        }
        if (node1 != null) {
            node1.close();
        }
        if (node2 != null) {
            node2.close();
        }
        if (traces != null) {
            traces.close();
        }
    }

    @Test
    void oneTraceSpansTheCommandServiceAndTheBridge() throws Exception {
        // given a device on node 1
        String tenant = RegistryRecords.newTenant();
        Devices.register(tenant, "lorry");
        CommandApi api = commands.api(tenant);
        String id;
        try (CommandDevice device = CommandDevice.connect(node1.mqttPort(), tenant, "lorry", Behaviour.REPLY)) {
            // when a command is POSTed and the device answers
            Answer answer = api.send("lorry", "{\"name\":\"horn\"}", "?wait=5s");
            assertEquals("SUCCEEDED", answer.state(), answer.body().toString());
            id = answer.id();
        }

        // then the bridge's delivery span is in the trace of the command service's POST, below its server span
        ReceivedSpan delivery = traces.await("delivery span of " + id, span -> "mqtt-bridge".equals(span.service())
                && "deliver command".equals(span.name()) && id.equals(span.attributes().get("outpost.message.id")),
                PATIENCE);
        assertEquals(tenant, delivery.attributes().get("outpost.tenant"));
        assertEquals("lorry", delivery.attributes().get("outpost.device"));
        assertEquals("command-node-1", delivery.attributes().get("outpost.bridge.node"));
        ReceivedSpan post = traces.await("server span of the POST of " + id, span -> "command-service".equals(
                span.service()) && span.kind() == Span.SpanKind.SPAN_KIND_SERVER
                && span.traceId().equals(delivery.traceId()), PATIENCE);
        assertEquals("", post.parentSpanId(), "the POST starts the trace");
        traces.await("the delivery " + delivery.spanId() + " below the POST " + post.spanId(), span -> span.spanId()
                .equals(delivery.spanId()) && ancestors(span).contains(post.spanId()), PATIENCE);
        // and the device's reply is applied in the same trace
        ReceivedSpan reply = traces.await("reply span of " + id, span -> "command reply".equals(span.name())
                && id.equals(span.attributes().get("outpost.command.id")), PATIENCE);
        assertEquals(delivery.traceId(), reply.traceId());
        assertEquals("APPLIED", reply.attributes().get("outpost.reply.outcome"));
    }

    @Test
    void bridgeWithTracingAtItsDefaultExportsNothing() throws Exception {
        // given node 2, told where to export but with tracing at its default (off), and a device on it
        String tenant = RegistryRecords.newTenant();
        Devices.register(tenant, "scooter");
        CommandApi api = commands.api(tenant);
        try (CommandDevice device = CommandDevice.connect(node2.mqttPort(), tenant, "scooter", Behaviour.REPLY)) {
            // when it delivers a traced command
            Answer answer = api.send("scooter", "{\"name\":\"beep\"}", "?wait=5s");
            assertEquals("SUCCEEDED", answer.state(), answer.body().toString());

            // then the command service's spans of it arrive, and none of node 2's does meanwhile
            ReceivedSpan reply = traces.await("reply span of " + answer.id(), span -> "command reply".equals(
                    span.name()) && answer.id().equals(span.attributes().get("outpost.command.id")), PATIENCE);
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < deadline) {
                assertEquals(List.of(), traces.spans().stream().filter(span -> "command-node-2".equals(
                        span.attributes().get("outpost.bridge.node"))).toList(), "node 2 exported spans");
                assertEquals(List.of(), trace(reply.traceId()).stream()
                        .filter(span -> "mqtt-bridge".equals(span.service())).toList(), "a bridge span in the trace");
                Thread.sleep(100);
            }
        }
    }

    /** The span ids above the span, up to its trace's root, among the spans received. */
    private static List<String> ancestors(ReceivedSpan span) {
        Map<String, ReceivedSpan> byId = new HashMap<>();
        trace(span.traceId()).forEach(each -> byId.put(each.spanId(), each));
        List<String> ancestors = new ArrayList<>();
        for (ReceivedSpan parent = byId.get(span.parentSpanId()); parent != null;
                parent = byId.get(parent.parentSpanId())) {
            ancestors.add(parent.spanId());
        }
        return ancestors;
    }

    private static List<ReceivedSpan> trace(String traceId) {
        return traces.spans().stream().filter(span -> span.traceId().equals(traceId)).toList();
    }

    @Test
    void onlineDeviceAnswersAndWaitReturnsTheResult() throws Exception {
        String tenant = RegistryRecords.newTenant();
        Devices.register(tenant, "truck");
        CommandApi api = commands.api(tenant);
        try (CommandDevice device = CommandDevice.connect(node1.mqttPort(), tenant, "truck", Behaviour.REPLY)) {
            Answer answer = api.send("truck", "{\"name\":\"unlock\",\"payload\":{\"doors\":\"all\"}}", "?wait=5s");

            assertEquals(200, answer.status(), answer.body().toString());
            assertEquals("SUCCEEDED", answer.state());
            assertEquals("unlock", answer.body().path("result").path("payload").path("done").asText());
            assertEquals("succeeded", answer.body().path("result").path("status").asText());
            assertEquals(List.of(answer.id()), device.received());
        }
    }

    @Test
    void offlineDeviceGetsOnlyTheLiveCommandsInOrderWhenItConnects() throws Exception {
        String tenant = RegistryRecords.newTenant();
        Devices.register(tenant, "van");
        CommandApi api = commands.api(tenant);
        String first = accepted(api.send("van", "{\"name\":\"first\"}", ""));
        String stale = accepted(api.send("van", "{\"name\":\"stale\",\"ttl\":\"2s\"}", ""));
        String second = accepted(api.send("van", "{\"name\":\"second\"}", ""));
        Thread.sleep(5000);

        try (CommandDevice device = CommandDevice.connect(node2.mqttPort(), tenant, "van", Behaviour.ACKNOWLEDGE)) {
            device.awaitReceived(2, PATIENCE);
            assertEquals("DELIVERED", api.awaitState(second, "DELIVERED", PATIENCE).state());
            Thread.sleep(1000);

            assertEquals(List.of(first, second), device.received());
            assertEquals("DELIVERED", api.get(first).state());
            assertEquals("EXPIRED", api.get(stale).state());
        }
    }

    @Test
    void deviceThatMovesToTheOtherNodeGetsWhatWasQueuedMeanwhile() throws Exception {
        String tenant = RegistryRecords.newTenant();
        Devices.register(tenant, "bus");
        CommandApi api = commands.api(tenant);
        try (CommandDevice onNode1 = CommandDevice.connect(node1.mqttPort(), tenant, "bus", Behaviour.REPLY)) {
            assertEquals("SUCCEEDED", api.send("bus", "{\"name\":\"before\"}", "?wait=5s").state());
        }
        String queued = accepted(api.send("bus", "{\"name\":\"while-away\"}", ""));

        try (CommandDevice onNode2 = CommandDevice.connect(node2.mqttPort(), tenant, "bus", Behaviour.REPLY)) {
            assertEquals(List.of(queued), onNode2.awaitReceived(1, PATIENCE));
            assertEquals("SUCCEEDED", api.awaitState(queued, "SUCCEEDED", PATIENCE).state());
        }
    }

    @Test
    void commandsInFlightOnAKilledNodeAreRedeliveredInOrderOnTheOther() throws Exception {
        String tenant = RegistryRecords.newTenant();
        Devices.register(tenant, "tram");
        CommandApi api = commands.api(tenant);
        List<String> sent;
        try (BridgeNode doomed = BridgeNode.start("command-node-doomed")) {
            CommandDevice holding = CommandDevice.connect(doomed.mqttPort(), tenant, "tram", Behaviour.HOLD);
            sent = List.of(accepted(api.send("tram", "{\"name\":\"one\"}", "")),
                    accepted(api.send("tram", "{\"name\":\"two\"}", "")),
                    accepted(api.send("tram", "{\"name\":\"three\"}", "")));
            assertEquals(sent, holding.awaitReceived(3, PATIENCE));
            doomed.kill();
        }
        assertEquals("PENDING", api.get(sent.get(0)).state(), "no PUBACK reached the bridge");

        try (CommandDevice again = CommandDevice.connect(node2.mqttPort(), tenant, "tram", Behaviour.REPLY)) {
            assertEquals(sent, again.awaitReceived(3, PATIENCE));
            for (String id : sent) {
                assertEquals("SUCCEEDED", api.awaitState(id, "SUCCEEDED", PATIENCE).state());
            }
        }
    }

    private static String accepted(Answer answer) {
        assertEquals(202, answer.status(), answer.body().toString());
        assertEquals("PENDING", answer.state());
        return answer.id();
    }
}
