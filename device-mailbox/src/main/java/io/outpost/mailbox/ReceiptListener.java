package io.outpost.mailbox;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.contracts.DeliveryReceipt;
import io.outpost.contracts.DeliveryStatus;
import io.outpost.contracts.Topics;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Applies the bridge's delivery receipts for this owner's kind of message (receipts of other kinds are skipped
 * without touching the database), a poll's worth in one transaction; if that fails, one by one with retries. The
 * offsets are committed after the receipts are applied.
 */
@ApplicationScoped
public class ReceiptListener {
    private static final Logger LOG = Logger.getLogger(ReceiptListener.class);

    @Inject
    Mailbox mailbox;
    @Inject
    MailboxConfig config;
    @Inject
    RecordJson json;
    @Inject
    MeterRegistry metrics;

    @Incoming("mailbox-receipts")
    @Blocking(ordered = true)
    public void onReceipts(ConsumerRecords<String, byte[]> records) {
        List<DeliveryReceipt> mine = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            DeliveryReceipt receipt = read(record);
            if (receipt == null || receipt.kind() != config.kind()) {
                continue;
            }
            if (receipt.status() == DeliveryStatus.REJECTED) {
                // The bridge refused it (unknown or disabled device, malformed); it stays pending until it expires.
                LOG.infof("message %s of %s rejected by %s: %s", receipt.messageId(), record.key(), receipt.node(),
                        receipt.reason());
                metrics.counter("outpost.mailbox.receipts.rejected", "tenant", receipt.tenant()).increment();
            }
            mine.add(receipt);
        }
        if (mine.isEmpty()) {
            return;
        }
        try {
            mailbox.applyReceipts(mine).stream().filter(Objects::nonNull).forEach(this::ignored);
        } catch (RuntimeException batchFailed) {
            LOG.debugf("applying %d receipts together failed (%s); one by one", mine.size(), batchFailed.toString());
            for (DeliveryReceipt receipt : mine) {
                Retries.apply(metrics, Topics.DELIVERY_RECEIPTS, receipt.status() + " of " + receipt.messageId(), () -> {
                    if (!mailbox.applyReceipt(receipt)) {
                        ignored(receipt);
                    }
                });
            }
        }
    }

    private void ignored(DeliveryReceipt receipt) {
        metrics.counter("outpost.mailbox.receipts.ignored", "tenant", receipt.tenant()).increment();
    }

    private DeliveryReceipt read(ConsumerRecord<String, byte[]> record) {
        try {
            DeliveryReceipt receipt = record.value() == null ? null : json.read(record.value(), DeliveryReceipt.class);
            if (receipt == null || receipt.messageId() == null || receipt.status() == null || receipt.tenant() == null
                    || receipt.device() == null) {
                LOG.warnf("skipped an incomplete receipt at offset %d of %s-%d", record.offset(), record.topic(),
                        record.partition());
                return null;
            }
            return receipt;
        } catch (IOException e) {
            LOG.warnf("skipped an unreadable receipt at offset %d of %s-%d: %s", record.offset(), record.topic(),
                    record.partition(), e.getMessage());
            return null;
        }
    }
}
