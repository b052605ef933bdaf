package io.outpost.mailbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.outpost.contracts.DeviceSessionEvent;
import io.outpost.contracts.MessageKind;
import io.outpost.contracts.OutboundMessage;
import io.outpost.contracts.SessionEventType;
import io.outpost.contracts.Topics;
import io.outpost.testsupport.TopicReader;

/** Builds the mailbox tests' messages and session events, and reads what the relay published. */
final class Messages {
    private Messages() {
    }

    static OutboundMessage message(String tenant, String device, String name, Instant expiresAt) {
        return new OutboundMessage(tenant + "-" + device + "-" + name, tenant, device, MessageKind.NOTIFICATION,
                "notifications/test", Clock.now(), expiresAt, "text/plain", name.getBytes(StandardCharsets.UTF_8));
    }

    static OutboundMessage message(String tenant, String device, String name) {
        return message(tenant, device, name, Clock.now().plus(Duration.ofHours(1)));
    }

    static DeviceSessionEvent session(String tenant, String device, SessionEventType type, String sessionId,
            Instant at) {
        return new DeviceSessionEvent(tenant, device, type, sessionId, "node-test", at, null, "5.0", "127.0.0.1:1");
    }

    /** The ids published to the outbound topic for the tenant's devices, per device in topic order. */
    static Map<String, List<String>> publishedIds(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                Collectors.mapping(r -> new String(r.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8),
                        Collectors.toList())));
    }

    /** Reads the tenant's outbound records until {@code expected} arrived, then until one more would (it fails then). */
    static List<ConsumerRecord<String, byte[]>> exactly(String tenant, int expected) {
        List<ConsumerRecord<String, byte[]>> records = TopicReader.read(Topics.OUTBOUND, tenant + "/", expected,
                Duration.ofSeconds(20));
        if (records.size() < expected) {
            return records;
        }
        return TopicReader.readUntil(Topics.OUTBOUND, tenant + "/", r -> r.size() > expected, Duration.ofSeconds(2));
    }
}
