package io.outpost.bridge;

import java.time.Duration;

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
}
