package io.outpost.bridge.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.bridge.NodeIdentity;
import io.outpost.bridge.ShutdownOrder;
import io.outpost.bridge.config.BridgeConfig;
import io.outpost.bridge.messaging.BridgeProducer;
import io.outpost.bridge.messaging.RetryingSender;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.DeliveryReceipt;
import io.outpost.contracts.DeliveryStatus;
import io.outpost.contracts.Identifiers;
import io.outpost.contracts.OutboundMessage;
import io.outpost.contracts.Topics;
import io.outpost.messaging.CloudEventRecords;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Tells the owner of an outbound message what became of it on this node. A receipt is retried until Kafka has it
 * ({@link RetryingSender}), for as long as the node runs, and a clean shutdown waits for the pending ones. DELIVERED is
 * a fact; EXPIRED is only advice, measured on this node's clock: the owner's clock decides expiry. Each receipt is
 * counted as {@code outpost_bridge_messages_out_total{tenant,kind,status}}: messages out to devices (DELIVERED) and
 * those that never went out (EXPIRED, UNDELIVERABLE).
 */
@ApplicationScoped
public class ReceiptPublisher {
    private static final Duration SHUTDOWN_DRAIN = Duration.ofSeconds(10);

    private final NodeIdentity node;
    private final ObjectMapper json;
    private final ScheduledExecutorService retries;
    private final RetryingSender sender;
    private final MeterRegistry metrics;

    @Inject
    public ReceiptPublisher(BridgeProducer producer, NodeIdentity node, ObjectMapper json, BridgeConfig config,
            MeterRegistry metrics) {
        this.node = node;
        this.json = json;
        this.metrics = metrics;
        this.retries = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "receipt-retries");
            thread.setDaemon(true);
            return thread;
        });
        BridgeConfig.Receipts settings = config.receipts();
        this.sender = new RetryingSender("receipt", producer::send, this::retryAfter, settings.maxPending(),
                settings.firstRetryPause(), settings.longestRetryPause());
        metrics.gauge("outpost.bridge.receipts.pending", sender, RetryingSender::pending);
    }

    public void publish(OutboundMessage message, DeliveryStatus status, String reason) {
        DeliveryReceipt receipt = new DeliveryReceipt(message.id(), message.tenant(), message.device(), message.kind(),
                status, Instant.now(), node.id(), reason);
        byte[] value;
        try {
            value = json.writeValueAsBytes(receipt);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a DeliveryReceipt always serializes", e);
        }
        metrics.counter("outpost.bridge.messages.out", "tenant", message.tenant(), "kind", message.kind().name(),
                "status", status.name()).increment();
        String key = message.tenant() + Identifiers.KEY_SEPARATOR + message.device();
        sender.send(status + " of " + message.id(), new ProducerRecord<>(Topics.DELIVERY_RECEIPTS, null, key, value,
                CloudEventRecords.headers(message.id() + "-" + status, node.source(), CloudEventTypes.DELIVERY_RECEIPT,
                        receipt.at(), message.tenant(), message.device(), "application/json")));
    }

    /** Receipts sent and not yet acknowledged by Kafka (also a gauge, {@code outpost_bridge_receipts_pending}). */
    public int pending() {
        return sender.pending();
    }

    private void retryAfter(Duration pause, Runnable task) {
        try {
            retries.schedule(task, pause.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Only after shutdown drained: the sender has logged what it gives up.
        }
    }

    void drain(@Observes @Priority(ShutdownOrder.FLUSH) ShutdownEvent shutdown) throws InterruptedException {
        sender.drain(SHUTDOWN_DRAIN);
        retries.shutdownNow();
    }
}
