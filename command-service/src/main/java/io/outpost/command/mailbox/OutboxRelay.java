package io.outpost.command.mailbox;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.command.mailbox.Outbox.OutboxWritten;
import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.MessageKind;
import io.outpost.contracts.Topics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;

/**
 * Publishes the outbox in write order and deletes records only after Kafka acknowledged them (acks=all, idempotent
 * producer), so nothing committed is lost and one device's records keep their order (same key, same partition). A
 * mailbox message is built from its row right before sending and is skipped unless it is still PENDING and unexpired:
 * that is the last hand-over check, so an expired or cancelled message is never published. A crash between send and
 * delete publishes the same records again, which devices and consumers de-duplicate by id (at least once).
 * A transaction-scoped advisory lock lets one instance relay at a time; the others retry shortly after.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Arbitrary constant naming the relay's PostgreSQL advisory lock ("mailbox"). */
    private static final long RELAY_LOCK = 0x6d61696c626f78L;
    private static final long LOCK_RETRY_MILLIS = 25;
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "mailbox-outbox-relay"));
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final KafkaProducer<String, byte[]> producer;

    @Inject
    DataSource dataSource;
    @Inject
    ObjectMapper json;
    @Inject
    MailboxConfig config;

    @Inject
    public OutboxRelay(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            @ConfigProperty(name = "quarkus.application.name") String application) {
        Map<String, Object> producerConfig = new HashMap<>(kafkaConfig);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Each batch is flushed at once: waiting for more records would only add latency.
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, application + "-mailbox-outbox");
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
    }

    void start(@Observes StartupEvent start) {
        wakeUp();
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) OutboxWritten written) {
        wakeUp();
    }

    /** Catches records whose wake-up was lost (a crash, another instance holding the lock). */
    @Scheduled(every = "${outpost.mailbox.outbox-poll:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = ShuttingDown.class)
    void poll() {
        wakeUp();
    }

    public void wakeUp() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                worker.submit(this::drain);
            } catch (RejectedExecutionException e) {
                LOG.debug("relay stopped; the outbox is relayed after the restart");
            }
        }
    }

    private void drain() {
        scheduled.set(false);
        try {
            int relayed;
            do {
                relayed = relayBatch();
            } while (relayed == config.relayBatch());
            if (relayed < 0 && scheduled.compareAndSet(false, true)) {
                // Another instance relays right now; what this one wrote may have missed its read.
                try {
                    worker.schedule(this::drain, LOCK_RETRY_MILLIS, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException stopped) {
                    LOG.debug("relay stopped; the outbox is relayed after the restart");
                }
            }
        } catch (Exception e) {
            LOG.warnf("relaying the mailbox outbox failed, retrying on the next poll: %s", e.toString());
        }
    }

    /** Relays up to one batch in one transaction; returns how many records it took, or -1 if another instance relays. */
    int relayBatch() {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection()) {
                if (!tryLock(connection)) {
                    return -1;
                }
                List<Long> taken = new ArrayList<>();
                List<ProducerRecord<String, byte[]>> records = read(connection, taken);
                List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
                for (ProducerRecord<String, byte[]> record : records) {
                    acks.add(producer.send(record));
                }
                producer.flush();
                for (Future<RecordMetadata> ack : acks) {
                    ack.get(30, TimeUnit.SECONDS);
                }
                delete(connection, taken);
                return taken.size();
            }
        });
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, RELAY_LOCK);
            try (ResultSet rs = lock.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private List<ProducerRecord<String, byte[]>> read(Connection connection, List<Long> taken) throws Exception {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        Instant now = Instant.now();
        try (PreparedStatement select = connection.prepareStatement("select o.seq, o.message_id, o.topic, o.record_key,"
                + " o.headers::text, o.payload, m.tenant_id, m.device_id, m.kind, m.mqtt_topic, m.content_type,"
                + " m.payload, m.created_at, m.expires_at, m.state"
                + " from mailbox_outbox o left join mailbox_message m on m.id = o.message_id"
                + " order by o.seq limit ?")) {
            select.setInt(1, config.relayBatch());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    taken.add(rs.getLong(1));
                    String messageId = rs.getString(2);
                    if (messageId == null) {
                        Map<String, String> headers = json.readValue(rs.getString(5), HEADERS);
                        records.add(record(rs.getString(3), rs.getString(4), headers, rs.getBytes(6)));
                        continue;
                    }
                    Instant expiresAt = rs.getTimestamp(14).toInstant();
                    if (!MailboxState.PENDING.name().equals(rs.getString(15)) || !now.isBefore(expiresAt)) {
                        LOG.debugf("not publishing %s: %s, expires %s", messageId, rs.getString(15), expiresAt);
                        continue;
                    }
                    records.add(message(messageId, rs.getString(7), rs.getString(8), MessageKind.valueOf(rs.getString(9)),
                            rs.getString(10), rs.getString(11), rs.getBytes(12), rs.getTimestamp(13).toInstant(),
                            expiresAt));
                }
            }
        }
        return records;
    }

    private ProducerRecord<String, byte[]> message(String id, String tenant, String device, MessageKind kind,
            String mqttTopic, String contentType, byte[] payload, Instant createdAt, Instant expiresAt) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        headers.put(CloudEventHeaders.ID, id);
        headers.put(CloudEventHeaders.SOURCE, config.source());
        headers.put(CloudEventHeaders.TYPE, type(kind));
        headers.put(CloudEventHeaders.TIME, createdAt.toString());
        headers.put(CloudEventHeaders.TENANT, tenant);
        headers.put(CloudEventHeaders.DEVICE, device);
        headers.put(CloudEventHeaders.EXPIRES_AT, expiresAt.toString());
        headers.put(CloudEventHeaders.MQTT_TOPIC, mqttTopic);
        if (contentType != null) {
            headers.put(CloudEventHeaders.CONTENT_TYPE, contentType);
        }
        return record(Topics.OUTBOUND, tenant + "/" + device, headers, payload);
    }

    static String type(MessageKind kind) {
        return switch (kind) {
            case COMMAND -> CloudEventTypes.OUTBOUND_COMMAND;
            case NOTIFICATION -> CloudEventTypes.OUTBOUND_NOTIFICATION;
            case INQUIRY_RESPONSE -> CloudEventTypes.OUTBOUND_INQUIRY_RESPONSE;
        };
    }

    private static ProducerRecord<String, byte[]> record(String topic, String key, Map<String, String> headers,
            byte[] value) {
        RecordHeaders kafkaHeaders = new RecordHeaders();
        headers.forEach((name, text) -> kafkaHeaders.add(name, text.getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>(topic, null, key, value, kafkaHeaders);
    }

    private static void delete(Connection connection, List<Long> seqs) throws SQLException {
        if (seqs.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = connection.prepareStatement("delete from mailbox_outbox where seq = any(?)")) {
            delete.setArray(1, connection.createArrayOf("bigint", seqs.toArray()));
            delete.executeUpdate();
        }
    }

    /** Stops relaying before the database and Kafka clients go away; what is left is relayed after the restart. */
    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        worker.shutdown();
        worker.awaitTermination(10, TimeUnit.SECONDS);
        producer.close(Duration.ofSeconds(10));
    }
}
