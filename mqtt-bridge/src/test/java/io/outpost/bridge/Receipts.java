package io.outpost.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.DeliveryReceipt;
import io.outpost.contracts.Topics;
import io.outpost.testsupport.TopicReader;

/** Finds the delivery receipts the bridge published, as an owner would read them. */
final class Receipts {
    private Receipts() {
    }

    /** The first receipt for the message, waiting up to 10 s for it. */
    static DeliveryReceipt of(ObjectMapper json, String tenant, String messageId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : TopicReader.read(Topics.DELIVERY_RECEIPTS, tenant + "/", 10,
                    Duration.ofSeconds(1))) {
                DeliveryReceipt receipt = json.readValue(record.value(), DeliveryReceipt.class);
                if (receipt.messageId().equals(messageId)) {
                    return receipt;
                }
            }
        }
        throw new AssertionError("no receipt for " + messageId);
    }

    /** The receipts for the message, once {@code expected} arrived (or what arrived within {@code timeout}). */
    static List<DeliveryReceipt> all(ObjectMapper json, String tenant, String messageId, int expected,
            Duration timeout) {
        return matching(json, TopicReader.readUntil(Topics.DELIVERY_RECEIPTS, tenant + "/",
                records -> matching(json, records, messageId).size() >= expected, timeout), messageId);
    }

    private static List<DeliveryReceipt> matching(ObjectMapper json, List<ConsumerRecord<String, byte[]>> records,
            String messageId) {
        return records.stream().map(record -> read(json, record)).filter(r -> r.messageId().equals(messageId))
                .toList();
    }

    private static DeliveryReceipt read(ObjectMapper json, ConsumerRecord<String, byte[]> record) {
        try {
            return json.readValue(record.value(), DeliveryReceipt.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
