package io.outpost.bridge.delivery;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.bridge.NodeIdentity;
import io.outpost.bridge.messaging.BridgeProducer;
import io.outpost.bridge.messaging.CloudEventRecords;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.DeliveryReceipt;
import io.outpost.contracts.DeliveryStatus;
import io.outpost.contracts.OutboundMessage;
import io.outpost.contracts.Topics;

/** Tells the owner of an outbound message what became of it on this node. */
@ApplicationScoped
public class ReceiptPublisher {
    private static final Logger LOG = Logger.getLogger(ReceiptPublisher.class);

    @Inject
    BridgeProducer producer;
    @Inject
    NodeIdentity node;
    @Inject
    ObjectMapper json;

    public void publish(OutboundMessage message, DeliveryStatus status, String reason) {
        DeliveryReceipt receipt = new DeliveryReceipt(message.id(), message.tenant(), message.device(), message.kind(),
                status, Instant.now(), node.id(), reason);
        byte[] value;
        try {
            value = json.writeValueAsBytes(receipt);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a DeliveryReceipt always serializes", e);
        }
        String key = message.tenant() + "/" + message.device();
        producer.send(new ProducerRecord<>(Topics.DELIVERY_RECEIPTS, null, key, value,
                CloudEventRecords.headers(message.id() + "-" + status, node.source(), CloudEventTypes.DELIVERY_RECEIPT,
                        message.tenant(), message.device(), "application/json")),
                (metadata, error) -> {
                    if (error != null) {
                        LOG.warnf("receipt %s of %s not published: %s", status, message.id(), error.toString());
                    }
                });
    }
}
