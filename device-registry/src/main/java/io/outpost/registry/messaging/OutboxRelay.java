package io.outpost.registry.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.Topics;
import io.outpost.registry.OutboxEntry;
import io.outpost.registry.service.RegistryOutbox.OutboxWritten;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;

/**
 * Relays the registry outbox to {@code outpost.registry.devices.v1} in outbox order, and deletes entries only after
 * Kafka acknowledged them (acks=all, idempotent producer), so a committed change is never lost and per-device order
 * holds. A crash between send and delete re-sends the same records in the same order, which a compacted topic absorbs.
 * A transaction-scoped advisory lock lets only one registry instance relay at a time.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Arbitrary constant naming the relay's PostgreSQL advisory lock. */
    private static final long RELAY_LOCK = 0x6f7574706f7374L;
    private static final int BATCH = 1000;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "registry-outbox-relay"));
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final KafkaProducer<String, byte[]> producer;

    @Inject
    public OutboxRelay(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "device-registry-outbox");
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) OutboxWritten written) {
        wakeUp();
    }

    /** Catches entries whose wake-up was lost (a crash, another instance holding the lock). */
    @Scheduled(every = "${outpost.registry.outbox-poll:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wakeUp();
    }

    public void wakeUp() {
        if (scheduled.compareAndSet(false, true)) {
            worker.submit(this::drain);
        }
    }

    private void drain() {
        scheduled.set(false);
        try {
            while (relayBatch() == BATCH) {
                LOG.debug("outbox batch relayed, more pending");
            }
        } catch (Exception e) {
            LOG.warnf("relaying the registry outbox failed, retrying on the next poll: %s", e.toString());
        }
    }

    /** Relays up to one batch in one transaction; returns how many entries it relayed. */
    int relayBatch() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Boolean locked = (Boolean) OutboxEntry.getEntityManager()
                    .createNativeQuery("select pg_try_advisory_xact_lock(:lock)")
                    .setParameter("lock", RELAY_LOCK).getSingleResult();
            if (!locked) {
                return 0;
            }
            List<OutboxEntry> entries = OutboxEntry.find("order by seq").page(0, BATCH).list();
            List<Future<RecordMetadata>> acks = new ArrayList<>(entries.size());
            for (OutboxEntry entry : entries) {
                acks.add(producer.send(toRecord(entry)));
            }
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
            if (!entries.isEmpty()) {
                OutboxEntry.delete("seq <= ?1", entries.get(entries.size() - 1).seq);
            }
            return entries.size();
        });
    }

    private static ProducerRecord<String, byte[]> toRecord(OutboxEntry entry) {
        String[] key = entry.recordKey.split("/", 2);
        RecordHeaders headers = new RecordHeaders();
        header(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        header(headers, CloudEventHeaders.ID, "registry-" + entry.seq);
        header(headers, CloudEventHeaders.SOURCE, "/outpost/device-registry");
        header(headers, CloudEventHeaders.TYPE, CloudEventTypes.REGISTRY_DEVICE);
        header(headers, CloudEventHeaders.TIME, entry.createdAt.toString());
        header(headers, CloudEventHeaders.TENANT, key[0]);
        header(headers, CloudEventHeaders.DEVICE, key[1]);
        byte[] value = null;
        if (entry.payload != null) {
            header(headers, CloudEventHeaders.CONTENT_TYPE, "application/json");
            value = entry.payload.getBytes(StandardCharsets.UTF_8);
        }
        return new ProducerRecord<>(Topics.REGISTRY_DEVICES, null, entry.recordKey, value, headers);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Stops relaying before the database and Kafka clients go away; what is left is relayed after the restart. */
    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        worker.shutdown();
        worker.awaitTermination(10, TimeUnit.SECONDS);
        producer.close(Duration.ofSeconds(10));
    }
}
